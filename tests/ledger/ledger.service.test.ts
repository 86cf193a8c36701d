import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerService } from '../../server/services/ledger/ledger.service';
import { verifyConsistency, verifyInclusion } from '../../server/services/ledger/merkle';
import { openCheckpoint } from '../../server/services/ledger/signed-note';
import {
  appendSamples,
  dropAppendOnlyTriggers,
  makeTempDir,
  openLedger,
  referenceRoot,
  sampleEntry,
  testOrigin,
  type OpenLedger,
} from './ledger-fixture';

const fromHex = (hex: string) => Buffer.from(hex, 'hex');
const proofBytes = (proof: string[]) => proof.map(fromHex);

describe('the ledger on a tree of 300 entries', () => {
  let open: OpenLedger;
  let leaves: Buffer[];
  const roots: Buffer[] = [];

  beforeAll(() => {
    open = openLedger();
    leaves = appendSamples(open, 300);
    for (let size = 0; size <= 300; size++) roots.push(referenceRoot(leaves.slice(0, size)));
  });
  afterAll(() => open.close());

  it('gives every entry an inclusion proof that verifies in every tree size from 1 to 300', () => {
    const failures: string[] = [];
    for (let size = 1; size <= 300; size++) {
      for (let index = 0; index < size; index++) {
        const proof = open.ledger.inclusionProof(`media-${index}`, size);
        const ok =
          proof.rootHash === roots[size].toString('hex') &&
          proof.leafIndex === index &&
          verifyInclusion(leaves[index], index, size, proofBytes(proof.proof), roots[size]);
        if (!ok) failures.push(`${index}@${size}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('gives consistency proofs that verify between every pair of sizes up to 100', () => {
    const failures: string[] = [];
    for (let oldSize = 0; oldSize <= 100; oldSize++) {
      for (let newSize = oldSize; newSize <= 100; newSize++) {
        const proof = open.ledger.consistencyProof(oldSize, newSize);
        const ok =
          proof.oldRootHash === roots[oldSize].toString('hex') &&
          proof.newRootHash === roots[newSize].toString('hex') &&
          verifyConsistency(oldSize, newSize, roots[oldSize], roots[newSize], proofBytes(proof.proof));
        if (!ok) failures.push(`${oldSize}->${newSize}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('gives consistency proofs that fail against a different old root', () => {
    for (const [oldSize, newSize] of [[3, 7], [64, 300], [99, 100], [150, 299]]) {
      const proof = proofBytes(open.ledger.consistencyProof(oldSize, newSize).proof);
      expect(verifyConsistency(oldSize, newSize, roots[oldSize], roots[newSize], proof)).toBe(true);
      expect(verifyConsistency(oldSize, newSize, roots[oldSize + 1], roots[newSize], proof)).toBe(false);
    }
  });

  it('keeps the exact entry text it hashed, with no personal data in it', () => {
    const proof = open.ledger.inclusionProof('media-4', 300);
    expect(proof.entry).toBe(
      'packtrail-ledger-entry/v1\n' +
        'media media-4\n' +
        `sha256 ${sampleEntry(4).sha256}\n` +
        'bytes 1004\n' +
        'mime video/mp4\n' +
        'received 2026-05-01T05:03:16.000Z\n' +
        'capture capture-1\n' +
        'order ORDER-1001\n' +
        'kind packing\n',
    );
    expect(open.ledger.entryFor('media-4')).toMatchObject({ index: 4, entry: proof.entry, leafHash: leaves[4].toString('hex') });
  });

  it('answers unknown media with NOT_FOUND and impossible tree sizes with VALIDATION_FAILED', () => {
    expect(() => open.ledger.inclusionProof('no-such-media')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => open.ledger.inclusionProof('media-10', 10)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => open.ledger.inclusionProof('media-10', 301)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => open.ledger.consistencyProof(5, 4)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => open.ledger.consistencyProof(1, 301)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe('the ledger on a tree past 2^16 entries', () => {
  const size = 65_536 + 1_500;
  let open: OpenLedger;
  let leaves: Buffer[];
  let root: Buffer;

  beforeAll(() => {
    open = openLedger();
    leaves = appendSamples(open, size);
    root = referenceRoot(leaves);
  });
  afterAll(() => open.close());

  it('proves entries at the edges of the tree and of its largest complete subtree', () => {
    const random = Array.from({ length: 60 }, () => Math.floor(Math.random() * size));
    for (const index of [0, 1, 2, 1023, 1024, 65_534, 65_535, 65_536, 65_537, size - 2, size - 1, ...random]) {
      const proof = open.ledger.inclusionProof(`media-${index}`, size);
      expect(proof.rootHash).toBe(root.toString('hex'));
      expect(verifyInclusion(leaves[index], index, size, proofBytes(proof.proof), root), `leaf ${index}`).toBe(true);
    }
  });

  it('proves consistency from sampled older sizes, including powers of two and their neighbours', () => {
    const oldSizes = [1, 2, 3, 1024, 65_535, 65_536, 65_537, size - 1, size];
    for (let i = 0; i < 15; i++) oldSizes.push(1 + Math.floor(Math.random() * size));
    for (const oldSize of oldSizes) {
      const proof = open.ledger.consistencyProof(oldSize, size);
      const oldRoot = referenceRoot(leaves.slice(0, oldSize));
      expect(proof.oldRootHash).toBe(oldRoot.toString('hex'));
      expect(verifyConsistency(oldSize, size, oldRoot, root, proofBytes(proof.proof)), `${oldSize}->${size}`).toBe(true);
    }
  });
});

describe('ledger checkpoints and keys', () => {
  it('signs a checkpoint of the tree that verifies with the published key, and re-signs only when the tree grew', () => {
    const open = openLedger();
    try {
      const leaves = appendSamples(open, 5);
      const first = open.ledger.checkpoint();
      expect(first.size).toBe(5);
      expect(first.rootHash).toBe(referenceRoot(leaves).toString('hex'));
      const opened = openCheckpoint(first.note, open.ledger.publicKey());
      expect(opened.origin).toBe(testOrigin);
      expect(opened.size).toBe(5);
      expect(Buffer.from(opened.rootHash).toString('hex')).toBe(first.rootHash);
      expect(open.ledger.checkpoint()).toEqual(first);

      leaves.push(...appendSamples(open, 3, 5));
      const second = open.ledger.checkpoint();
      expect(second.size).toBe(8);
      expect(open.ledger.latestCheckpoint()).toEqual(second);
      const consistency = open.ledger.consistencyProof(first.size, second.size);
      expect(verifyConsistency(5, 8, fromHex(first.rootHash), fromHex(second.rootHash), proofBytes(consistency.proof))).toBe(true);
    } finally {
      open.close();
    }
  });

  it('signs a new checkpoint when asked for a proof of an entry newer than the last one', () => {
    const open = openLedger();
    try {
      appendSamples(open, 3);
      expect(open.ledger.checkpoint().size).toBe(3);
      appendSamples(open, 1, 3);
      const proof = open.ledger.inclusionProof('media-3');
      expect(proof.treeSize).toBe(4);
      expect(proof.checkpoint).not.toBeNull();
      expect(openCheckpoint(proof.checkpoint!, open.ledger.publicKey()).size).toBe(4);
      expect(open.ledger.inclusionProof('media-0').treeSize).toBe(4);
    } finally {
      open.close();
    }
  });

  it('refuses to sign a checkpoint when stored history no longer matches the last signed one', () => {
    const open = openLedger();
    try {
      appendSamples(open, 6);
      open.ledger.checkpoint();
      dropAppendOnlyTriggers(open.db);
      // The stored hash of leaves 0-3, which both the next root and the proof from size 6 are built on.
      open.db.prepare('UPDATE ledger_nodes SET hash = randomblob(32) WHERE level = 2 AND idx = 0').run();
      appendSamples(open, 1, 6);
      expect(() => open.ledger.checkpoint()).toThrow(/refusing to sign/);
      expect(open.ledger.latestCheckpoint()!.size).toBe(6);
    } finally {
      open.close();
    }
  });

  it('finds, in a full self-check, stored damage that no checkpoint would notice', () => {
    const open = openLedger();
    try {
      appendSamples(open, 13);
      open.ledger.checkpoint();
      expect(open.ledger.verifyStoredTree()).toEqual({ ok: true, entries: 13 });
      dropAppendOnlyTriggers(open.db);
      // Leaves 0-1: already covered by the stored hash of leaves 0-7, so new roots never read it again.
      open.db.prepare('UPDATE ledger_nodes SET hash = randomblob(32) WHERE level = 1 AND idx = 0').run();
      appendSamples(open, 1, 13);
      expect(() => open.ledger.checkpoint()).not.toThrow();
      expect(open.ledger.verifyStoredTree()).toEqual({ ok: false, problem: expect.stringMatching(/subtree 1\/0/) });
    } finally {
      open.close();
    }
    const edited = openLedger();
    try {
      appendSamples(edited, 5);
      dropAppendOnlyTriggers(edited.db);
      edited.db.prepare("UPDATE ledger_entries SET entry = replace(entry, 'kind packing', 'kind unboxing') WHERE idx = 3").run();
      expect(edited.ledger.verifyStoredTree()).toEqual({ ok: false, problem: expect.stringMatching(/entry 3 does not hash/) });
    } finally {
      edited.close();
    }
  });

  it('refuses edits and deletions of ledger rows at the database level', () => {
    const open = openLedger();
    try {
      appendSamples(open, 2);
      open.ledger.checkpoint();
      expect(() => open.db.prepare("UPDATE ledger_entries SET entry = 'x' WHERE idx = 0").run()).toThrow(/append-only/);
      expect(() => open.db.prepare('DELETE FROM ledger_nodes').run()).toThrow(/append-only/);
      expect(() => open.db.prepare('DELETE FROM ledger_checkpoints').run()).toThrow(/append-only/);
    } finally {
      open.close();
    }
  });

  it('makes its key on first start with a private file only the owner can read, and reuses it', () => {
    const dir = makeTempDir();
    const open = openLedger(dir);
    try {
      appendSamples(open, 2);
      const note = open.ledger.checkpoint().note;
      const keyFile = path.join(dir, 'ledger', 'signing.key');
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      const again = createLedgerService({ db: open.db, dataDir: dir, origin: 'packtrail.test/renamed' });
      expect(again.publicKey()).toBe(open.ledger.publicKey());
      expect(again.origin).toBe(testOrigin);
      expect(openCheckpoint(note, again.publicKey()).size).toBe(2);
    } finally {
      open.close();
    }
  });

  it('leaves no trace of an append whose surrounding transaction rolled back', () => {
    const open = openLedger();
    try {
      appendSamples(open, 3);
      const rootBefore = open.ledger.checkpoint().rootHash;
      expect(() =>
        open.db.transaction(() => {
          open.ledger.append(sampleEntry(3));
          throw new Error('the media insert failed');
        })(),
      ).toThrow('the media insert failed');
      expect(open.ledger.size()).toBe(3);
      expect(open.ledger.entryFor('media-3')).toBeUndefined();
      expect(open.ledger.append(sampleEntry(3)).index).toBe(3);
      const leaves = [0, 1, 2, 3].map((i) => fromHex(open.ledger.entryFor(`media-${i}`)!.leafHash));
      expect(open.ledger.checkpoint().rootHash).toBe(referenceRoot(leaves).toString('hex'));
      expect(rootBefore).toBe(referenceRoot(leaves.slice(0, 3)).toString('hex'));
    } finally {
      open.close();
    }
  });

  it('rejects entry values that could forge an extra line, and a second entry for the same media', () => {
    const open = openLedger();
    try {
      expect(() => open.ledger.append(sampleEntry(0, { orderId: 'A-1\nkind return' }))).toThrow(/single-line/);
      expect(() => open.ledger.append(sampleEntry(0, { sha256: 'ABC' }))).toThrow(/sha256/);
      expect(() => open.ledger.append(sampleEntry(0, { receivedAt: '2026-05-01 05:03' }))).toThrow(/receivedAt/);
      expect(open.ledger.size()).toBe(0);
      open.ledger.append(sampleEntry(0, { orderId: 'SHOPEE 2405 01' }));
      expect(() => open.ledger.append(sampleEntry(0))).toThrow(/UNIQUE/);
      expect(open.ledger.size()).toBe(1);
    } finally {
      open.close();
    }
  });
});
