// The Merkle tree as the ledger tables store it: reading its nodes, and re-deriving all of it from the
// entries to prove the stored hashes were not damaged.
import type { LedgerRepository } from '../../../storage/ledger.repository';
import { leafHash, nodeHash, rootHash, type NodeReader } from './merkle';
import { openCheckpoint } from './signed-note';

export type TreeCheck = { ok: true; entries: number } | { ok: false; problem: string };

const pageSize = 5000;

/** Level 0 is the entry's leaf hash; higher levels are the complete subtrees stored as leaves arrive. */
export function storedNodeReader(ledger: Pick<LedgerRepository, 'getLeafHash' | 'getNodeHash'>): NodeReader {
  return (level, index) => {
    const hash = level === 0 ? ledger.getLeafHash(index) : ledger.getNodeHash(level, index);
    if (!hash) throw new Error(`ledger node ${level}/${index} is missing: the ledger tables are damaged`);
    return hash;
  };
}

/**
 * Re-derives every leaf from its entry text and every stored subtree hash from the leaves, then
 * checks the latest checkpoint's signature and root. Proofs trust the stored hashes, so damage to
 * one that a larger subtree already covers would otherwise go unseen until a verifier tripped on it.
 */
export function checkStoredTree(ledger: LedgerRepository, verifierKey: string): TreeCheck {
  // frontier[level] holds the newest complete subtree at that level still waiting for its right sibling.
  const frontier: Buffer[] = [];
  let count = 0;
  for (let page = ledger.listEntriesFrom(0, pageSize); page.length > 0; page = ledger.listEntriesFrom(count, pageSize)) {
    for (const row of page) {
      if (row.idx !== count) return { ok: false, problem: `entry ${count} is missing (the next one is ${row.idx})` };
      let hash = leafHash(row.entry);
      if (!hash.equals(row.leaf_hash)) return { ok: false, problem: `entry ${row.idx} does not hash to its stored leaf hash` };
      let level = 0;
      let position = row.idx;
      while (position % 2 === 1) {
        hash = nodeHash(frontier[level], hash);
        level += 1;
        position = (position - 1) / 2;
        const stored = ledger.getNodeHash(level, position);
        if (!stored || !stored.equals(hash)) return { ok: false, problem: `stored subtree ${level}/${position} does not match its leaves` };
      }
      frontier[level] = hash;
      count += 1;
    }
  }
  const latest = ledger.latestCheckpoint();
  if (!latest) return { ok: true, entries: count };
  try {
    const signed = openCheckpoint(latest.note, verifierKey);
    if (signed.size > count) return { ok: false, problem: `checkpoint ${signed.size} covers entries that are gone` };
    if (!rootHash(signed.size, storedNodeReader(ledger)).equals(Buffer.from(signed.rootHash))) {
      return { ok: false, problem: `the tree no longer has the root signed in checkpoint ${signed.size}` };
    }
  } catch (error) {
    return { ok: false, problem: `checkpoint ${latest.size} does not verify: ${(error as Error).message}` };
  }
  return { ok: true, entries: count };
}
