// What the fitters share: where a derived copy is written and the decoding bound for originals.
import path from 'node:path';

/**
 * Originals were held to the server's pixel limit when they were uploaded; this bound only keeps a
 * decoder bomb from costing the packet builder more than the upload path would allow.
 */
export const DECODE_MAX_PIXELS = 200_000_000;

/** A safe file name (no folders, no leading dot) from the caller's name or the original's. */
export function outputName(input: string, name?: string): string {
  const base = name ?? path.basename(input, path.extname(input));
  const safe = base.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[.-]+/, '').slice(0, 120);
  return safe || 'derived';
}
