import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  nodesCompletedBy,
  rootHash,
  verifyConsistency,
  verifyInclusion,
  type NodeReader,
} from '../../server/services/ledger/merkle';
import * as core from '../../server/services/ledger/verifier/verify-core';
import { referenceRoot } from './ledger-fixture';

// The certificate-transparency reference test data (also in transparency-dev/merkle's testonly):
// eight leaf inputs and the roots of each prefix, pinned by several independent implementations.
const ctLeaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (hex) => Buffer.from(hex, 'hex'),
);
const ctRoots = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const ctInclusion: [number, number, string[]][] = [
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
];
const ctConsistency: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];

/** An in-memory tree built the way the ledger builds its table: leaves plus the subtrees each append completes. */
function memoryTree(leaves: Buffer[]): NodeReader {
  const nodes = new Map<string, Buffer>();
  const read: NodeReader = (level, index) => {
    const hash = nodes.get(`${level}/${index}`);
    if (!hash) throw new Error(`missing node ${level}/${index}`);
    return hash;
  };
  leaves.forEach((leaf, index) => {
    nodes.set(`0/${index}`, leaf);
    for (const node of nodesCompletedBy(index, leaf, read)) nodes.set(`${node.level}/${node.index}`, node.hash);
  });
  return read;
}

const hex = (hashes: Buffer[]) => hashes.map((hash) => hash.toString('hex'));

describe('the Merkle tree', () => {
  const ctTree = memoryTree(ctLeaves.map((leaf) => leafHash(leaf)));

  it('reproduces the certificate-transparency reference roots for every prefix of its test data', () => {
    for (let size = 0; size <= 8; size++) expect(rootHash(size, ctTree).toString('hex')).toBe(ctRoots[size]);
  });

  it('produces the reference inclusion and consistency proofs, and the verifier accepts them', () => {
    for (const [index, size, expected] of ctInclusion) {
      expect(hex(inclusionProof(index, size, ctTree))).toEqual(expected);
      const proof = expected.map((h) => Buffer.from(h, 'hex'));
      expect(verifyInclusion(leafHash(ctLeaves[index]), index, size, proof, Buffer.from(ctRoots[size], 'hex'))).toBe(true);
    }
    for (const [oldSize, newSize, expected] of ctConsistency) {
      expect(hex(consistencyProof(oldSize, newSize, ctTree))).toEqual(expected);
      const proof = expected.map((h) => Buffer.from(h, 'hex'));
      const oldRoot = Buffer.from(ctRoots[oldSize], 'hex');
      expect(verifyConsistency(oldSize, newSize, oldRoot, Buffer.from(ctRoots[newSize], 'hex'), proof)).toBe(true);
    }
  });

  it('rejects proofs that are altered, too short, too long or for another position', () => {
    const [index, size, expected] = ctInclusion[1];
    const leaf = leafHash(ctLeaves[index]);
    const root = Buffer.from(ctRoots[size], 'hex');
    const proof = expected.map((h) => Buffer.from(h, 'hex'));
    const flipped = proof.map((hash, i) => (i === 1 ? Buffer.from(hash.map((byte, j) => (j === 0 ? byte ^ 1 : byte))) : hash));
    expect(verifyInclusion(leaf, index, size, flipped, root)).toBe(false);
    expect(verifyInclusion(leaf, index, size, proof.slice(0, 2), root)).toBe(false);
    expect(verifyInclusion(leaf, index, size, [...proof, proof[0]], root)).toBe(false);
    expect(verifyInclusion(leaf, index + 1, size, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, index, size + 1, proof, root)).toBe(false);
    expect(verifyInclusion(leaf, size, size, proof, root)).toBe(false);

    const [oldSize, newSize, consistency] = ctConsistency[2];
    const oldRoot = Buffer.from(ctRoots[oldSize], 'hex');
    const newRoot = Buffer.from(ctRoots[newSize], 'hex');
    const path = consistency.map((h) => Buffer.from(h, 'hex'));
    expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, path.slice(1))).toBe(false);
    expect(verifyConsistency(oldSize, newSize, newRoot, newRoot, path)).toBe(false);
    expect(verifyConsistency(oldSize + 1, newSize, oldRoot, newRoot, path)).toBe(false);
    expect(verifyConsistency(newSize, oldSize, newRoot, oldRoot, path)).toBe(false);
    expect(verifyConsistency(oldSize, oldSize, oldRoot, oldRoot, [])).toBe(true);
    expect(verifyConsistency(oldSize, oldSize, oldRoot, newRoot, [])).toBe(false);
  });

  it('matches the RFC definition of the root for random trees of up to 300 leaves', () => {
    for (let size = 1; size <= 300; size += 7) {
      const leaves = Array.from({ length: size }, () => leafHash(randomBytes(40)));
      expect(rootHash(size, memoryTree(leaves)).equals(referenceRoot(leaves))).toBe(true);
    }
  });
});

describe('the verifier core shipped in bundles', () => {
  it('computes SHA-256 exactly as node:crypto does, in one go and in uneven slices', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 1000, 70_000]) {
      const data = randomBytes(length);
      const expected = createHash('sha256').update(data).digest('hex');
      expect(core.toHex(core.sha256(data))).toBe(expected);
      const hasher = new core.Sha256();
      for (let at = 0; at < length; at += 1 + (at % 97)) hasher.update(data.subarray(at, at + 1 + (at % 97)));
      expect(core.toHex(hasher.digest())).toBe(expected);
    }
  });

  it('hashes leaves and nodes exactly as the server does', () => {
    for (let i = 0; i < 50; i++) {
      const entry = randomBytes(i * 13);
      expect(Buffer.from(core.leafHashOf(entry)).equals(leafHash(entry))).toBe(true);
      const [left, right] = [randomBytes(32), randomBytes(32)];
      expect(Buffer.from(core.nodeHashOf(left, right)).equals(nodeHash(left, right))).toBe(true);
    }
  });

  it('decodes only canonical padded base64 and lower-case hex', () => {
    for (let length = 0; length < 40; length++) {
      const data = randomBytes(length);
      expect(core.toBase64(data)).toBe(data.toString('base64'));
      expect(Buffer.from(core.fromBase64(data.toString('base64'))).equals(data)).toBe(true);
    }
    expect(() => core.fromBase64('AB')).toThrow();
    expect(() => core.fromBase64('AB=C')).toThrow();
    expect(() => core.fromBase64('AQ==')).not.toThrow();
    expect(() => core.fromBase64('AR==')).toThrow(); // non-zero padding bits: a second spelling of the same bytes
    expect(() => core.fromHex('ABCD')).toThrow();
  });
});
