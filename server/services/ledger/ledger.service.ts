// The evidence ledger: one leaf per original and one per finished capture's facts in an append-only
// RFC 9162 Merkle log, checkpoints signed in c2sp.org tlog-checkpoint form, and the inclusion and
// consistency proofs that let anyone check an exported original or fact against a checkpoint
// without trusting us.
import type { Db } from '../../../storage/database';
import { createLedgerRepository, type LedgerCheckpointRow, type LedgerEntryRow } from '../../../storage/ledger.repository';
import { fail } from '../../errors';
import {
  consistencyProof as buildConsistencyProof,
  inclusionProof as buildInclusionProof,
  leafHash,
  nodesCompletedBy,
  rootHash,
  verifyConsistency,
} from './merkle';
import { formatCheckpoint, parseCheckpoint, parseNote } from './signed-note';
import { createSigningKey, loadSigningKey } from './signing-key';
import type { NoteSigner } from './signed-note';
import { checkStoredTree, storedNodeReader, type TreeCheck } from './stored-tree';
import { formatCaptureFactsEntry, type CaptureFactsInput } from './capture-facts-entry';
import { ENTRY_FORMAT, EXPORT_STATEMENT_FORMAT } from './verifier/verify-core';

export type { CaptureFactsInput };

export interface LedgerAppendInput {
  mediaId: string;
  /** Lower-case hex SHA-256 of the original's bytes. */
  sha256: string;
  bytes: number;
  mime: string;
  /** The server's receive time, ISO 8601 UTC, exactly as stored on the media row. */
  receivedAt: string;
  captureId: string;
  /** The order's external ID (the marketplace's). */
  orderId: string;
  kind: string;
}

export interface LedgerCheckpoint {
  size: number;
  /** Hex. The signed note carries the same hash in base64, as the checkpoint format requires. */
  rootHash: string;
  /** The signed note: "<origin>\n<size>\n<base64 root>\n\n— <key name> <base64 signature>\n". */
  note: string;
  createdAt: string;
}

/** All hashes are lower-case hex. `proof` is the RFC 9162 audit path, the leaf's sibling first. */
export interface InclusionProof {
  mediaId: string;
  leafIndex: number;
  treeSize: number;
  /** The exact text hashed into the leaf: leafHash = SHA-256(0x00 ‖ UTF-8 entry). */
  entry: string;
  leafHash: string;
  rootHash: string;
  proof: string[];
  /** The signed checkpoint of treeSize, or null when none was signed at exactly that size. */
  checkpoint: string | null;
}

/** The same proof for a capture's facts entry (GET /captures/:id/proof). */
export type CaptureInclusionProof = Omit<InclusionProof, 'mediaId'> & { captureId: string };

/** All hashes are lower-case hex; `proof` is RFC 9162 PROOF(oldSize, D[newSize]). */
export interface ConsistencyProof {
  oldSize: number;
  newSize: number;
  oldRootHash: string;
  newRootHash: string;
  proof: string[];
}

export interface LedgerServiceOptions {
  db: Db;
  dataDir: string;
  /**
   * The name a new log takes, e.g. "acme-store/packtrail", or a function that proposes it when the
   * log is first named (undefined while it cannot yet: before setup). Ignored once the log has a
   * name; see `origin`.
   */
  origin: string | (() => string | undefined);
  /**
   * Told of each checkpoint just signed, after it is stored (to have it time-stamped). Whatever it
   * does, signing has already succeeded; a throw is swallowed.
   */
  onCheckpoint?: (checkpoint: LedgerCheckpoint) => void;
  clock?: () => Date;
}

const utcTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
// Entry values are one line each; a newline or control character could forge an extra field.
const singleLine = /^[^\p{Cc}]+$/u;

export function formatEntry(input: LedgerAppendInput): string {
  const text = (name: string, value: unknown): string => {
    if (typeof value !== 'string' || !singleLine.test(value)) {
      throw new TypeError(`ledger entry ${name} must be a non-empty single-line string`);
    }
    return value;
  };
  if (typeof input.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(input.sha256)) {
    throw new TypeError('ledger entry sha256 must be 64 lower-case hex digits');
  }
  if (!Number.isSafeInteger(input.bytes) || input.bytes < 0) throw new TypeError('ledger entry bytes must be a whole number');
  if (!utcTimestamp.test(input.receivedAt) || Number.isNaN(Date.parse(input.receivedAt))) {
    throw new TypeError('ledger entry receivedAt must be an ISO 8601 UTC time');
  }
  return (
    `${ENTRY_FORMAT}\n` +
    `media ${text('mediaId', input.mediaId)}\n` +
    `sha256 ${input.sha256}\n` +
    `bytes ${input.bytes}\n` +
    `mime ${text('mime', input.mime)}\n` +
    `received ${input.receivedAt}\n` +
    `capture ${text('captureId', input.captureId)}\n` +
    `order ${text('orderId', input.orderId)}\n` +
    `kind ${text('kind', input.kind)}\n`
  );
}

export function createLedgerService({ db, dataDir, origin, onCheckpoint, clock = () => new Date() }: LedgerServiceOptions) {
  const ledger = createLedgerRepository(db);
  const proposeName = typeof origin === 'string' ? () => origin : origin;

  // The key's name is the log's identity in every checkpoint it ever signed, so it wins over
  // anything else: a log that has a key keeps its key's name, and the database records it.
  let signer: NoteSigner | undefined = loadSigningKey(dataDir);
  if (signer) ledger.insertLogName(signer.name, clock().toISOString());

  /** The log's signer, naming the log and making its key the first time it is needed. */
  function requireSigner(): NoteSigner {
    if (signer) return signer;
    const name = ledger.getLogName() ?? proposeName();
    if (!name) fail('NOT_SET_UP', 'The evidence log is named when the shop is set up; set it up first.');
    signer = createSigningKey(dataDir, name);
    ledger.insertLogName(signer.name, clock().toISOString());
    return signer;
  }

  const readNode = storedNodeReader(ledger);

  const toCheckpoint = (row: LedgerCheckpointRow): LedgerCheckpoint => ({
    size: row.size,
    rootHash: row.root_hash.toString('hex'),
    note: row.note,
    createdAt: row.created_at,
  });

  /** One leaf: an original's entry (media_id, sha256, bytes) or a capture's facts (capture_id). */
  const appendTransaction = db.transaction(
    (entry: string, subject: Pick<LedgerEntryRow, 'media_id' | 'capture_id' | 'sha256' | 'bytes'>) => {
      const index = ledger.size();
      const leaf = leafHash(entry);
      ledger.insertEntry({ idx: index, ...subject, entry, leaf_hash: leaf, created_at: clock().toISOString() });
      for (const node of nodesCompletedBy(index, leaf, readNode)) {
        ledger.insertNode({ level: node.level, idx: node.index, hash: node.hash });
      }
      return { index, leafHash: leaf.toString('hex') };
    },
  );

  const checkpointTransaction = db.transaction((key: NoteSigner): { checkpoint: LedgerCheckpoint; signed: boolean } => {
    const size = ledger.size();
    const latest = ledger.latestCheckpoint();
    if (latest && latest.size === size) return { checkpoint: toCheckpoint(latest), signed: false };
    if (latest && latest.size > size) {
      throw new Error(`the ledger has ${size} entries but checkpoint ${latest.size} was signed: entries were removed`);
    }
    const root = rootHash(size, readNode);
    if (latest) {
      // Never sign a fork: the tree we are about to sign must contain, unchanged, the one we signed last.
      const signedRoot = parseCheckpoint(parseNote(latest.note).text).rootHash;
      const proof = buildConsistencyProof(latest.size, size, readNode);
      if (!verifyConsistency(latest.size, size, signedRoot, root, proof)) {
        throw new Error(`refusing to sign checkpoint ${size}: it does not extend checkpoint ${latest.size} (ledger tables changed)`);
      }
    }
    const row: LedgerCheckpointRow = {
      size,
      root_hash: root,
      note: key.signNote(formatCheckpoint(key.name, size, root)),
      created_at: clock().toISOString(),
    };
    ledger.insertCheckpoint(row);
    return { checkpoint: toCheckpoint(row), signed: true };
  });

  function latestCheckpoint(): LedgerCheckpoint | null {
    const row = ledger.latestCheckpoint();
    return row ? toCheckpoint(row) : null;
  }

  function checkpoint(): LedgerCheckpoint {
    const { checkpoint: made, signed } = checkpointTransaction.immediate(requireSigner());
    if (signed && onCheckpoint) {
      try {
        onCheckpoint(made);
      } catch {
        // Signing succeeded and is committed; what a listener does with it cannot undo that.
      }
    }
    return made;
  }

  function rootAt(size: number): { root: Buffer; note: string | null } {
    const signed = ledger.getCheckpointBySize(size);
    return signed ? { root: signed.root_hash, note: signed.note } : { root: rootHash(size, readNode), note: null };
  }

  function proveEntry(row: LedgerEntryRow, treeSize: number | undefined): Omit<InclusionProof, 'mediaId'> {
    let size: number;
    let root: Buffer;
    let note: string | null;
    if (treeSize === undefined) {
      let signed = latestCheckpoint();
      if (!signed || signed.size <= row.idx) signed = checkpoint();
      size = signed.size;
      root = Buffer.from(signed.rootHash, 'hex');
      note = signed.note;
    } else {
      assertTreeSize('treeSize', treeSize, row.idx + 1, ledger.size());
      size = treeSize;
      ({ root, note } = rootAt(size));
    }
    return {
      leafIndex: row.idx,
      treeSize: size,
      entry: row.entry,
      leafHash: row.leaf_hash.toString('hex'),
      rootHash: root.toString('hex'),
      proof: buildInclusionProof(row.idx, size, readNode).map((hash) => hash.toString('hex')),
      checkpoint: note,
    };
  }

  function assertTreeSize(name: string, value: number, min: number, max: number): void {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      fail('VALIDATION_FAILED', `${name} must be a whole number from ${min} to ${max}.`);
    }
  }

  return {
    /** The log's origin line: chosen once, at setup, and fixed by the signing key made for it. */
    get origin(): string {
      return requireSigner().name;
    },

    /** Whether the log has its name yet (it gets it at setup); until then nothing can be signed. */
    isNamed(): boolean {
      return signer !== undefined || ledger.getLogName() !== undefined || proposeName() !== undefined;
    },

    /** Names the log now, if it has no name yet (setup calls this), and returns the name. */
    fixName(): string {
      return requireSigner().name;
    },

    /**
     * Adds the original's leaf and the subtree hashes it completes. Synchronous so it can run inside
     * the transaction that inserts the media row: both commit or neither does.
     */
    append(input: LedgerAppendInput): { index: number; leafHash: string } {
      const entry = formatEntry(input);
      return appendTransaction.immediate(entry, { media_id: input.mediaId, capture_id: null, sha256: input.sha256, bytes: input.bytes });
    },

    /**
     * Adds a finished capture's facts as an entry of their own. Synchronous, to run inside the
     * transaction that finishes the capture: the capture is finished with its facts logged, or not at all.
     */
    appendCaptureFacts(input: CaptureFactsInput): { index: number; leafHash: string } {
      const entry = formatCaptureFactsEntry(input);
      return appendTransaction.immediate(entry, { media_id: null, capture_id: input.captureId, sha256: null, bytes: null });
    },

    /**
     * Signs an export statement (verifier/verify-core.js formatExportStatement) with the log's key.
     * Only that kind of note: the key must never sign a text a verifier could read as a checkpoint.
     */
    signExportStatement(text: string): string {
      if (!text.startsWith(`${EXPORT_STATEMENT_FORMAT}\n`)) throw new Error('only export statements are signed this way');
      return requireSigner().signNote(text);
    },

    /** Signs a checkpoint of the current tree if it grew since the last one; otherwise returns the last. */
    checkpoint,
    latestCheckpoint,

    /** The checkpoint signed at exactly `size` entries, if one was. */
    checkpointAt(size: number): LedgerCheckpoint | undefined {
      const row = ledger.getCheckpointBySize(size);
      return row && toCheckpoint(row);
    },

    /** The verifier key, "<name>+<hex key hash>+<base64(0x01 ‖ Ed25519 public key)>". */
    publicKey(): string {
      return requireSigner().verifierKey;
    },

    size(): number {
      return ledger.size();
    },

    entryFor(mediaId: string): { index: number; entry: string; leafHash: string } | undefined {
      const row = ledger.getEntryByMediaId(mediaId);
      return row && { index: row.idx, entry: row.entry, leafHash: row.leaf_hash.toString('hex') };
    },

    /** The capture's facts entry; undefined for an open capture and for one finished before facts were logged. */
    captureFactsFor(captureId: string): { index: number; entry: string; leafHash: string } | undefined {
      const row = ledger.getEntryByCaptureId(captureId);
      return row && { index: row.idx, entry: row.entry, leafHash: row.leaf_hash.toString('hex') };
    },

    /**
     * Proves the media's entry is in the tree of `treeSize` entries. Without `treeSize`, proves it
     * against the latest checkpoint, signing a new one first when the entry is newer than it.
     */
    inclusionProof(mediaId: string, treeSize?: number): InclusionProof {
      const row = ledger.getEntryByMediaId(mediaId) ?? fail('NOT_FOUND', 'This media has no ledger entry.');
      return { mediaId, ...proveEntry(row, treeSize) };
    },

    /** The same for a capture's facts entry. */
    captureInclusionProof(captureId: string, treeSize?: number): CaptureInclusionProof {
      const row = ledger.getEntryByCaptureId(captureId) ?? fail('NOT_FOUND', 'This capture was finished before capture facts were logged: its facts are not in the log.');
      return { captureId, ...proveEntry(row, treeSize) };
    },

    /** Re-derives the whole stored tree from the entries (O(n)): for an occasional job, not a request. */
    verifyStoredTree: (): TreeCheck => checkStoredTree(ledger, requireSigner().verifierKey),

    /** Proves the tree of `oldSize` entries is a prefix of the tree of `newSize` entries. */
    consistencyProof(oldSize: number, newSize: number): ConsistencyProof {
      assertTreeSize('newSize', newSize, 0, ledger.size());
      assertTreeSize('oldSize', oldSize, 0, newSize);
      return {
        oldSize,
        newSize,
        oldRootHash: rootAt(oldSize).root.toString('hex'),
        newRootHash: rootAt(newSize).root.toString('hex'),
        proof: buildConsistencyProof(oldSize, newSize, readNode).map((hash) => hash.toString('hex')),
      };
    },
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;
