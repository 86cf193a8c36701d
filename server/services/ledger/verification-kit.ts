// Builds the verification/ folder of an evidence bundle: the signed checkpoint, the verifier key,
// each original's ledger entry and inclusion proof, each capture's facts entry and proof, the signed
// export statement covering every file the export made, and two offline verifiers (verify.mjs for
// Node, verify.html for a browser opened from disk) that both embed verifier/verify-core.js, the
// same checking code the server runs. When the checkpoint has an RFC 3161 time-stamp token, the
// token, the authority's certificates and verifier/timestamp.js (bundled with PKI.js by esbuild, so
// no npm is needed offline) travel too.
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { isLoopbackHost } from '../../config';
import { fail } from '../../errors';
import { translations } from '../../i18n';
import type { LedgerCheckpoint, LedgerService } from './ledger.service';
import type { CheckpointTimestamp, TimestampService } from './timestamps';
import { buildTimestampModules, buildTimestampModulesSync, type TimestampModules } from './timestamp-modules';
import {
  CAPTURE_FACTS_PATH, CAPTURE_FACTS_PROOFS_FORMAT, EXPORT_STATEMENT_PATH, MANIFEST_PATH, PROOFS_FORMAT, formatExportStatement, formatUtc,
  isSafeBundlePath, keyFingerprint, parseEntry,
} from './verifier/verify-core';
import { projectPath } from '../../paths';

export interface VerificationKitItem {
  mediaId: string;
  /** Where the original sits in the bundle, e.g. "media/<file>". */
  path: string;
}

/** A capture of the bundle's order; its facts travel with their proof when the log holds them. */
export interface VerificationKitCapture {
  id: string;
  kind: string;
  finished: boolean;
}

export interface VerificationKitFile {
  /** Bundle-relative, always under "verification/". */
  path: string;
  content: string | Buffer;
}

export interface ProofsDocument {
  format: typeof PROOFS_FORMAT;
  about: string;
  origin: string;
  treeSize: number;
  rootHash: string;
  files: {
    path: string;
    mediaId: string;
    sha256: string;
    bytes: number;
    entry: string;
    leafIndex: number;
    leafHash: string;
    proof: string[];
  }[];
}

export interface CaptureFactsDocument {
  format: typeof CAPTURE_FACTS_PROOFS_FORMAT;
  about: string;
  treeSize: number;
  captures: { captureId: string; entry: string; leafIndex: number; leafHash: string; proof: string[] }[];
  /** Captures of the order whose facts the log does not hold, and why. */
  notInLog: { captureId: string; kind: string; reason: string }[];
}

/** A file the export made, as the export statement lists it. */
export interface ExportedFile {
  path: string;
  kind: string;
  sha256: string;
  bytes: number;
}

const KEY_PATH = '/api/v1/ledger/key';

/**
 * The absolute address where a stranger can fetch the shop's key: under PUBLIC_URL when it names a
 * host other machines reach, otherwise under the address the export was requested on (a seller at
 * http://192.168.1.20:8080 exports a bundle naming that address); null when both are loopback or
 * unknown, since "localhost" would send the reader to their own computer.
 */
export function publishedKeyUrl(publicUrl: string | undefined, requestOrigin: string | undefined): string | null {
  for (const base of [publicUrl, requestOrigin]) {
    if (!base) continue;
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      continue;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || isLoopbackHost(url.hostname) || url.hostname === '') continue;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}${KEY_PATH}`;
  }
  return null;
}

const readVerifierSource = (name: string) => fs.readFileSync(projectPath('server', 'services', 'ledger', 'verifier', name), 'utf8');

/** verify-core.js as plain top-level declarations, ready to paste into a script or a page. */
export function inlineableCore(coreSource: string): string {
  const inlined = coreSource.replace(/^export (?=(?:async function|function|const|class) )/gm, '');
  if (/^\s*(?:export|import)\b/m.test(inlined)) {
    throw new Error('verify-core.js must have only `export function|const|class` at top level and no imports');
  }
  return inlined;
}

export function buildVerifyScript(core: string, cliSource: string): string {
  const coreImport = /^import \{[^}]*\} from '\.\/verify-core\.js';\n/m;
  if (!coreImport.test(cliSource)) throw new Error('verify-cli.mjs must import the core on one line');
  const banner = '// ---- The verification core: the same code the Packtrail server uses. ----\n';
  return cliSource.replace(coreImport, () => `${banner}${core}// ---- End of the verification core. ----\n\n`);
}

/** What verify.html checks, embedded in it. `timestamps` holds base64 DER tokens and PEM certificates. */
export interface VerifyPageData {
  checkpoint: string;
  key: string;
  proofs: string;
  captureFacts: string;
  /** Where the shop publishes its key, as the export statement names it; null when the export knew of none. */
  keyUrl?: string | null;
  timestamps?: { tokens: string[]; certificates: string };
}

/** `timestampScript` is verifier/timestamp.js as a classic script (timestamp-modules.ts); needed only with tokens. */
export function buildVerifyPage(core: string, pageSource: string, data: VerifyPageData, timestampScript = ''): string {
  if (/<\/script/i.test(core) || /<\/script/i.test(timestampScript)) throw new Error('a script inlined into verify.html cannot contain "</script"');
  for (const placeholder of ['// @packtrail-core', '"@packtrail-data"', '"@packtrail-labels"', '// @packtrail-timestamp']) {
    if (!pageSource.includes(placeholder)) throw new Error(`verify-page.html lost its ${placeholder} placeholder`);
  }
  // "<" escaped so no value can close the <script> element it sits in.
  const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return pageSource
    .replace('// @packtrail-timestamp', () => timestampScript)
    .replace('// @packtrail-core', () => core)
    .replace('"@packtrail-data"', () => json(data))
    .replace('"@packtrail-labels"', () => json(translations.verifier));
}

const readmeIntro = `How to check this evidence bundle
=================================

Each original photo or video in media/ was recorded, when the shop's server received it, as an
entry in an append-only log (a Merkle tree, RFC 9162). The server signs the log's state with its
key (checkpoint.txt, in the c2sp.org tlog-checkpoint format). For each original, proofs.json holds
its log entry (SHA-256, size, type, server receive time, order) and the proof that the entry is
in the signed log.

When a capture (a packing, an unboxing, a handover) finished, its facts were recorded in the same
log as an entry of their own: order, kind, station, who, the server's start and finish times, the
weight as entered, the weight expected at that moment, the checklist and outcome, and the SHA-256
of each of its media. capture-facts.json holds those entries with their proofs; captures finished
before the log recorded facts are listed there as not in the log.

The documents made at export (manifest.json, the report or claim letter, README.txt and these
verification files) are not in the log: the server listed each one's SHA-256 in
export-statement.txt and signed it with the log's key, so a change to any of them is found too.

Check it in a browser: open verification/verify.html and choose the unzipped bundle folder.
Check it in a terminal:  node verification/verify.mjs   (Node.js 18 or newer, from this folder's parent)

Both check every original against its entry and the entry against the log, every capture's facts
against the log, every document against the export statement, the signatures against key.txt, and
that no file was added.
`;

/**
 * Whose key: every check above proves the files unchanged since a log recorded them, but any install
 * of Packtrail can make a log under any name. Only the key says it is this shop's.
 */
function readmeKey(key: string, keyUrl: string | null): string {
  const where = keyUrl
    ? `The shop publishes its key at ${keyUrl}
Open that address and compare what it shows with verification/key.txt: they must be identical.`
    : `This bundle does not say where the shop publishes its key (it was exported from an address no
other computer reaches); ask the shop for it. Its server shows it at /api/v1/ledger/key.`;
  return `
Whose log: the checks prove the files are unchanged since the log in checkpoint.txt recorded them,
and that log is signed by the key in key.txt, whose public key is
  ${keyFingerprint(key)}
A bundle made by any other installation verifies just as well against its own key, so confirm that
this key is the shop's own. ${where}
`;
}

function readme(stamp: KitTimestamp | null, keyPart: string): string {
  if (!stamp) {
    return `${readmeIntro}${keyPart}
Time: every time in this bundle (receive times, capture times, the checkpoint) comes from the shop's
own server clock. No independent time-stamping authority attested the checkpoint.
`;
  }
  return `${readmeIntro}${keyPart}
Time: checkpoint.tsr is an RFC 3161 time-stamp token over the exact bytes of checkpoint.txt, from an
independent time-stamping authority: ${stamp.tsa}.
It attests that the checkpoint, and so every original in it, existed no later than ${formatUtc(stamp.genTime)}.
Both verifiers check the token (timestamp.mjs does it for verify.mjs). tsa-certificates.pem holds the
authority's certificate (SHA-256 fingerprint ${stamp.certificateSha256}) and its chain as the token
carried it. A time-stamp is only as good as the authority behind it: trust it only if you trust that
certificate; no list of trusted authorities is shipped. With OpenSSL and the authority's root
certificate that you trust:
  openssl ts -verify -data verification/checkpoint.txt -in verification/checkpoint.tsr -token_in \\
    -CAfile <the authority's root certificate> -untrusted verification/tsa-certificates.pem
`;
}

/** What a bundle's documents say about its time-stamp. */
export interface KitTimestamp {
  /** ISO 8601 UTC: the checkpoint existed no later than this. */
  genTime: string;
  /** The authority's certificate subject. */
  tsa: string;
  /** Lower-case hex SHA-256 of the authority's certificate, as the verifiers show it. */
  certificateSha256: string;
}

function describeStamp(stamp: CheckpointTimestamp): KitTimestamp {
  const certificate = new X509Certificate(stamp.certificatesPem);
  return { genTime: stamp.genTime, tsa: stamp.tsa, certificateSha256: certificate.fingerprint256.replace(/:/g, '').toLowerCase() };
}

export function createVerificationKitService({
  ledger,
  timestamps,
  publicUrl,
}: {
  /** PUBLIC_URL: where the shop's key can be fetched, when it names a host other machines reach. */
  publicUrl?: string;
  ledger: Pick<
    LedgerService,
    'checkpoint' | 'checkpointAt' | 'entryFor' | 'inclusionProof' | 'publicKey' | 'captureFactsFor' | 'captureInclusionProof' | 'signExportStatement'
  >;
  /** Without it (or without TSA_URL), bundles carry no time-stamp and say that times rest on the shop's clock. */
  timestamps?: Pick<TimestampService, 'enabled' | 'stamp' | 'forCheckpoint' | 'latest'>;
}) {
  const core = inlineableCore(readVerifierSource('verify-core.js'));
  const verifyScript = buildVerifyScript(core, readVerifierSource('verify-cli.mjs'));
  const pageSource = readVerifierSource('verify-page.html');
  // Bundled on first need (esbuild, a fraction of a second), then kept: shops without TSA_URL never pay for it.
  let modules: TimestampModules | undefined;
  let building: Promise<TimestampModules> | undefined;
  const timestampModules = (): TimestampModules => (modules ??= buildTimestampModulesSync());

  /**
   * The checkpoint to prove against: the current one, or, when that has no time-stamp (the authority
   * is down), the newest time-stamped checkpoint that still holds every item and every capture's
   * facts, since an attested time is worth more to the reader than a few minutes of recency.
   */
  function chooseCheckpoint(
    items: VerificationKitItem[],
    captures: VerificationKitCapture[],
  ): { checkpoint: LedgerCheckpoint; stamp: CheckpointTimestamp | null } {
    const current = ledger.checkpoint();
    if (!timestamps) return { checkpoint: current, stamp: null };
    const stamp = timestamps.forCheckpoint(current.size);
    if (stamp) return { checkpoint: current, stamp };
    const newestStamped = timestamps.latest();
    // The older checkpoint must hold every original and every capture-facts entry the bundle carries;
    // a capture whose facts are not in the log yet travels as "not in the log" whichever is chosen.
    const factsIndexes = captures.flatMap((capture) => {
      const facts = ledger.captureFactsFor(capture.id);
      return facts ? [facts.index] : [];
    });
    const needed = Math.max(0, ...items.map((item) => (ledger.entryFor(item.mediaId)?.index ?? Infinity) + 1), ...factsIndexes.map((index) => index + 1));
    const older = newestStamped && newestStamped.checkpointSize >= needed ? ledger.checkpointAt(newestStamped.checkpointSize) : undefined;
    return older ? { checkpoint: older, stamp: newestStamped! } : { checkpoint: current, stamp: null };
  }

  return {
    /**
     * Before a kit is built: signs a checkpoint of the current log and waits (a bounded time) for its
     * time-stamp, so the bundle carries one. Resolves whether or not the authority answered.
     */
    async prepare(): Promise<void> {
      if (!timestamps?.enabled) return;
      building ??= buildTimestampModules().then((built) => (modules = built));
      await Promise.all([timestamps.stamp(ledger.checkpoint()), building]);
    },

    /**
     * Everything for the bundle's verification/ folder, proving every item and every capture's facts
     * against one checkpoint (signed now if the ledger grew since the last), and which checkpoint and
     * time-stamp that is (the export statement must name the same one). Synchronous and small: the
     * originals themselves are streamed into the bundle by the caller.
     */
    buildVerificationKit(
      items: VerificationKitItem[],
      captures: VerificationKitCapture[] = [],
      { requestOrigin }: { requestOrigin?: string } = {},
    ): {
      files: VerificationKitFile[];
      captureFacts: { captureId: string; leafIndex: number; entry: string }[];
      checkpoint: LedgerCheckpoint;
      timestamp: KitTimestamp | null;
      /** Where the shop publishes the key (publishedKeyUrl), to be named by the export statement too; null when unknown. */
      keyUrl: string | null;
    } {
      const seen = new Set<string>();
      for (const item of items) {
        if (!isSafeBundlePath(item.path)) fail('VALIDATION_FAILED', `"${item.path}" is not a relative path inside a bundle.`);
        if (seen.has(item.path)) fail('VALIDATION_FAILED', `"${item.path}" appears twice in the bundle.`);
        seen.add(item.path);
      }
      const { checkpoint, stamp } = chooseCheckpoint(items, captures);
      const key = ledger.publicKey();
      const keyUrl = publishedKeyUrl(publicUrl, requestOrigin);
      const files = items.map((item) => {
        const proof = ledger.inclusionProof(item.mediaId, checkpoint.size);
        const { sha256, bytes } = parseEntry(proof.entry);
        return {
          path: item.path,
          mediaId: item.mediaId,
          sha256,
          bytes,
          entry: proof.entry,
          leafIndex: proof.leafIndex,
          leafHash: proof.leafHash,
          proof: proof.proof,
        };
      });
      const proofs: ProofsDocument = {
        format: PROOFS_FORMAT,
        about:
          'Hashes are lower-case hex. leafHash = SHA-256(0x00 || UTF-8 entry); proof is the RFC 9162 inclusion ' +
          'proof (sibling hashes from the leaf up) of leafIndex in the tree of treeSize entries whose root is signed in checkpoint.txt.',
        origin: /^(.*)\n/.exec(checkpoint.note)![1],
        treeSize: checkpoint.size,
        rootHash: checkpoint.rootHash,
        files,
      };
      const captureFacts: CaptureFactsDocument = {
        format: CAPTURE_FACTS_PROOFS_FORMAT,
        about:
          'Each capture\'s facts as the log recorded them when it finished (entry), with the RFC 9162 inclusion proof of ' +
          'leafIndex in the tree of treeSize entries signed in checkpoint.txt; leafHash = SHA-256(0x00 || UTF-8 entry).',
        treeSize: checkpoint.size,
        captures: [],
        notInLog: [],
      };
      for (const capture of captures) {
        if (ledger.captureFactsFor(capture.id)) {
          const proof = ledger.captureInclusionProof(capture.id, checkpoint.size);
          captureFacts.captures.push({ captureId: capture.id, entry: proof.entry, leafIndex: proof.leafIndex, leafHash: proof.leafHash, proof: proof.proof });
        } else {
          captureFacts.notInLog.push({
            captureId: capture.id,
            kind: capture.kind,
            reason: capture.finished
              ? 'finished before capture facts were recorded in the log; its facts were never signed'
              : 'not finished when the bundle was made; its facts enter the log when it finishes',
          });
        }
      }
      const proofsText = `${JSON.stringify(proofs, null, 2)}\n`;
      const captureFactsText = `${JSON.stringify(captureFacts, null, 2)}\n`;
      const keyText = `${key}\n`;
      const timestamp = stamp && describeStamp(stamp);
      const pageData: VerifyPageData = { checkpoint: checkpoint.note, key: keyText, proofs: proofsText, captureFacts: captureFactsText, keyUrl };
      const stampFiles: VerificationKitFile[] = [];
      let timestampScript = '';
      if (stamp) {
        const built = timestampModules();
        pageData.timestamps = { tokens: [stamp.token.toString('base64')], certificates: stamp.certificatesPem };
        timestampScript = built.script;
        stampFiles.push(
          { path: 'verification/checkpoint.tsr', content: stamp.token },
          { path: 'verification/tsa-certificates.pem', content: stamp.certificatesPem },
          { path: 'verification/timestamp.mjs', content: built.module },
        );
      }
      return {
        checkpoint,
        timestamp,
        keyUrl,
        files: [
          { path: 'verification/checkpoint.txt', content: checkpoint.note },
          { path: 'verification/key.txt', content: keyText },
          { path: 'verification/proofs.json', content: proofsText },
          { path: CAPTURE_FACTS_PATH, content: captureFactsText },
          ...stampFiles,
          { path: 'verification/verify.mjs', content: verifyScript },
          { path: 'verification/verify.html', content: buildVerifyPage(core, pageSource, pageData, timestampScript) },
          { path: 'verification/README.txt', content: readme(timestamp, readmeKey(key, keyUrl)) },
        ],
        captureFacts: captureFacts.captures.map(({ captureId, leafIndex, entry }) => ({ captureId, leafIndex, entry })),
      };
    },

    /**
     * verification/export-statement.txt: every file the export made (manifest.json last, since it
     * is made last) and a copy of each capture's facts, signed with the log's key. Made once the
     * manifest exists, so it is the bundle's last file.
     */
    signExportStatement(input: {
      checkpoint: { size: number; rootHash: string; origin: string };
      exportedAt: Date;
      dispute: { id: string; orderId: string };
      files: ExportedFile[];
      manifest: Buffer;
      captureFacts: { captureId: string; leafIndex: number; entry: string }[];
      /** buildVerificationKit's keyUrl: the statement names the key and where the shop publishes it. */
      keyUrl: string | null;
    }): VerificationKitFile {
      const text = formatExportStatement({
        origin: input.checkpoint.origin,
        checkpointSize: input.checkpoint.size,
        rootHash: input.checkpoint.rootHash,
        exportedAt: input.exportedAt.toISOString(),
        disputeId: input.dispute.id,
        orderId: input.dispute.orderId,
        key: ledger.publicKey(),
        keyUrl: input.keyUrl,
        files: [
          ...input.files.map(({ path, kind, sha256, bytes }) => ({ path, kind, sha256, bytes })),
          { path: MANIFEST_PATH, kind: 'manifest', sha256: createHash('sha256').update(input.manifest).digest('hex'), bytes: input.manifest.length },
        ],
        facts: input.captureFacts,
      });
      return { path: EXPORT_STATEMENT_PATH, content: ledger.signExportStatement(text) };
    },
  };
}

export type VerificationKitService = ReturnType<typeof createVerificationKitService>;
