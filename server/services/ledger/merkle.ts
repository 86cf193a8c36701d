// RFC 9162 (RFC 6962) Merkle tree hashing and proof generation over stored complete subtrees.
// Verification is the dependency-free code in verifier/verify-core.js, the same text that ships
// inside every bundle, re-exported here so server code has one place to import from; generation
// uses node:crypto, so the two sides are independent implementations that the tests hold together.
import { createHash } from 'node:crypto';

export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verifier/verify-core';

/**
 * The hash of the complete subtree at `level` (0 = a leaf) that covers leaves
 * [index · 2^level, (index + 1) · 2^level). Such a subtree never changes once its last leaf exists,
 * which is why it can be stored and why every proof can be assembled from stored ones.
 */
export type NodeReader = (level: number, index: number) => Buffer;

export interface CompletedNode {
  level: number;
  index: number;
  hash: Buffer;
}

const leafPrefix = Buffer.from([0]);
const nodePrefix = Buffer.from([1]);

export function leafHash(entry: Uint8Array | string): Buffer {
  return createHash('sha256').update(leafPrefix).update(entry).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(nodePrefix).update(left).update(right).digest();
}

/** RFC 9162 defines the empty tree's root as the hash of the empty string. */
export const emptyTreeRoot: Buffer = createHash('sha256').digest();

/** The largest power of two strictly below n (n ≥ 2): where RFC 9162 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function exactLog2(width: number): number | undefined {
  let level = 0;
  let span = 1;
  while (span < width) {
    span *= 2;
    level += 1;
  }
  return span === width ? level : undefined;
}

/** The Merkle hash of leaves [start, end), from stored complete subtrees. */
export function rangeHash(start: number, end: number, node: NodeReader): Buffer {
  const width = end - start;
  if (width === 0) return emptyTreeRoot;
  const level = exactLog2(width);
  if (level !== undefined && start % width === 0) return node(level, start / width);
  const k = splitPoint(width);
  return nodeHash(rangeHash(start, start + k, node), rangeHash(start + k, end, node));
}

export function rootHash(size: number, node: NodeReader): Buffer {
  return rangeHash(0, size, node);
}

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
}

/** RFC 9162 2.1.3.1 PATH(m, D[n]): sibling hashes from the leaf's level up to just below the root. */
export function inclusionProof(index: number, size: number, node: NodeReader): Buffer[] {
  assertSize('index', index);
  assertSize('size', size);
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size} leaves`);
  const proof: Buffer[] = [];
  const path = (start: number, end: number): void => {
    if (end - start === 1) return;
    const k = splitPoint(end - start);
    if (index < start + k) {
      path(start, start + k);
      proof.push(rangeHash(start + k, end, node));
    } else {
      path(start + k, end);
      proof.push(rangeHash(start, start + k, node));
    }
  };
  path(0, size);
  return proof;
}

/** RFC 9162 2.1.4.1 PROOF(m, D[n]): proves the tree of oldSize leaves is a prefix of the one of newSize. */
export function consistencyProof(oldSize: number, newSize: number, node: NodeReader): Buffer[] {
  assertSize('oldSize', oldSize);
  assertSize('newSize', newSize);
  if (oldSize > newSize) throw new RangeError(`a tree of ${oldSize} leaves cannot be a prefix of one of ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const proof: Buffer[] = [];
  // m counts leaves of the old tree inside [start, end); `complete` is RFC 9162's b flag: whether
  // the subtree is the whole old tree, whose root the verifier already holds.
  const subproof = (m: number, start: number, end: number, complete: boolean): void => {
    if (m === end - start) {
      if (!complete) proof.push(rangeHash(start, end, node));
      return;
    }
    const k = splitPoint(end - start);
    if (m <= k) {
      subproof(m, start, start + k, complete);
      proof.push(rangeHash(start + k, end, node));
    } else {
      subproof(m - k, start + k, end, false);
      proof.push(rangeHash(start, start + k, node));
    }
  };
  subproof(oldSize, 0, newSize, true);
  return proof;
}

/**
 * The complete subtrees that appending leaf `index` closes: one per level while the new subtree is
 * a right child, each combining its stored left sibling with the hash just computed.
 */
export function nodesCompletedBy(index: number, leaf: Buffer, node: NodeReader): CompletedNode[] {
  const completed: CompletedNode[] = [];
  let hash = leaf;
  let level = 0;
  let position = index;
  while (position % 2 === 1) {
    hash = nodeHash(node(level, position - 1), hash);
    level += 1;
    position = (position - 1) / 2;
    completed.push({ level, index: position, hash });
  }
  return completed;
}
