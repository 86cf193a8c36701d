// Builds the verification/ folder of an evidence bundle: the signed checkpoint, the verifier key,
// each original's ledger entry and inclusion proof, and two offline verifiers (verify.mjs for Node,
// verify.html for a browser opened from disk) that both embed verifier/verify-core.js, the same
// checking code the server runs.
import fs from 'node:fs';
import { fail } from '../../errors';
import { translations } from '../../i18n';
import type { LedgerService } from './ledger.service';
import { PROOFS_FORMAT, isSafeBundlePath, parseEntry } from './verifier/verify-core';
import { projectPath } from '../../paths';

export interface VerificationKitItem {
  mediaId: string;
  /** Where the original sits in the bundle, e.g. "media/<file>". */
  path: string;
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

export function buildVerifyPage(core: string, pageSource: string, data: { checkpoint: string; key: string; proofs: string }): string {
  if (/<\/script/i.test(core)) throw new Error('verify-core.js cannot contain "</script" when inlined into a page');
  if (!pageSource.includes('// @packtrail-core') || !pageSource.includes('"@packtrail-data"') || !pageSource.includes('"@packtrail-labels"')) {
    throw new Error('verify-page.html lost its core, data or labels placeholder');
  }
  // "<" escaped so no value can close the <script> element it sits in.
  const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return pageSource
    .replace('// @packtrail-core', () => core)
    .replace('"@packtrail-data"', () => json(data))
    .replace('"@packtrail-labels"', () => json(translations.verifier));
}

const readme = `How to check this evidence bundle
=================================

Each original photo or video in media/ was recorded, when the shop's server received it, as an
entry in an append-only log (a Merkle tree, RFC 9162). The server signs the log's state with its
key (checkpoint.txt, in the c2sp.org tlog-checkpoint format). For each original, proofs.json holds
its log entry (SHA-256, size, type, server receive time, order) and the proof that the entry is
in the signed log.

Check it in a browser: open verification/verify.html and choose the unzipped bundle folder.
Check it in a terminal:  node verification/verify.mjs   (Node.js 18 or newer, from this folder's parent)

Both check, for every file: its bytes against its entry, the entry against the log, and the log's
signature against key.txt. Compare key.txt with the key the shop publishes at /api/v1/ledger/key.
`;

export function createVerificationKitService({
  ledger,
}: {
  ledger: Pick<LedgerService, 'checkpoint' | 'inclusionProof' | 'publicKey'>;
}) {
  const core = inlineableCore(readVerifierSource('verify-core.js'));
  const verifyScript = buildVerifyScript(core, readVerifierSource('verify-cli.mjs'));
  const pageSource = readVerifierSource('verify-page.html');

  return {
    /**
     * Everything for the bundle's verification/ folder, proving every item against one checkpoint
     * (signed now if the ledger grew since the last). Synchronous and small: the originals
     * themselves are streamed into the bundle by the caller.
     */
    buildVerificationKit(items: VerificationKitItem[]): { files: VerificationKitFile[] } {
      const seen = new Set<string>();
      for (const item of items) {
        if (!isSafeBundlePath(item.path)) fail('VALIDATION_FAILED', `"${item.path}" is not a relative path inside a bundle.`);
        if (seen.has(item.path)) fail('VALIDATION_FAILED', `"${item.path}" appears twice in the bundle.`);
        seen.add(item.path);
      }
      const checkpoint = ledger.checkpoint();
      const key = ledger.publicKey();
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
      const proofsText = `${JSON.stringify(proofs, null, 2)}\n`;
      const keyText = `${key}\n`;
      return {
        files: [
          { path: 'verification/checkpoint.txt', content: checkpoint.note },
          { path: 'verification/key.txt', content: keyText },
          { path: 'verification/proofs.json', content: proofsText },
          { path: 'verification/verify.mjs', content: verifyScript },
          {
            path: 'verification/verify.html',
            content: buildVerifyPage(core, pageSource, { checkpoint: checkpoint.note, key: keyText, proofs: proofsText }),
          },
          { path: 'verification/README.txt', content: readme },
        ],
      };
    },
  };
}

export type VerificationKitService = ReturnType<typeof createVerificationKitService>;
