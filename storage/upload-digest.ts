// The running hash of a resumable upload: SHA-256 and CRC-32 of the bytes written so far, and their
// head for sniffing, carried from one PATCH to the next so a finished upload is never read again.
import { createHash, type Hash } from 'node:crypto';
import zlib from 'node:zlib';
import type { Digest } from './blobs/blob-store';
import { SNIFF_BYTES } from './blobs/local-disk.store';

export class RunningDigest {
  private readonly hash: Hash = createHash('sha256');
  private crc32 = 0;
  private readonly headParts: Buffer[] = [];
  /** How many bytes went in: the upload offset this state stands for. */
  bytes = 0;

  add(chunk: Buffer): void {
    if (this.bytes < SNIFF_BYTES) this.headParts.push(Buffer.from(chunk.subarray(0, SNIFF_BYTES - this.bytes)));
    this.hash.update(chunk);
    this.crc32 = zlib.crc32(chunk, this.crc32);
    this.bytes += chunk.length;
  }

  /** The digest of the bytes so far; the state goes on (a copy of the hash is finished, not the hash). */
  current(): Digest {
    return { sha256: this.hash.copy().digest('hex'), crc32: this.crc32, bytes: this.bytes, head: Buffer.concat(this.headParts) };
  }
}
