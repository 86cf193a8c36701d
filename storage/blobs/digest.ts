// One pass over an original's bytes: the SHA-256, the size, the head for sniffing,
// and the size limit decided from that head. Every store (local disk, S3) and every ingest path
// (multipart, tus) hashes through here, so the rules are the same wherever the bytes go.
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { fsyncPath } from '../fsync';
import { createRoomCheck } from '../room-check';
import { BlobTooLargeError, type Digest, type LimitFor } from './blob-store';

/** file-type reads at most this many bytes to recognise a format. */
export const SNIFF_BYTES = 4100;
/** Read and write in 1 MiB pieces: fewer syscalls and hash updates than the 64 KiB default. */
export const CHUNK = 1 << 20;

/** Hashes (SHA-256) bytes as they pass, keeps the head for sniffing, and enforces the limit decided from it. */
export class DigestHasher {
  private readonly hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private limit: number | undefined;
  bytes = 0;

  constructor(private readonly limitFor: LimitFor) {}

  /** A promise only while the limit is being decided (once, at the head's end): every other chunk is taken at once. */
  add(chunk: Buffer): Promise<void> | undefined {
    if (this.limit === undefined && this.bytes < SNIFF_BYTES) this.headChunks.push(chunk.subarray(0, SNIFF_BYTES - this.bytes));
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.limit === undefined && this.bytes >= SNIFF_BYTES) return this.decideLimit();
    if (this.limit !== undefined && this.bytes > this.limit) throw new BlobTooLargeError(this.limit);
    return undefined;
  }

  private async decideLimit(): Promise<void> {
    this.limit = await this.limitFor(this.head());
    if (this.bytes > this.limit) throw new BlobTooLargeError(this.limit);
  }

  async finish(): Promise<Digest> {
    this.limit ??= await this.limitFor(this.head());
    if (this.bytes > this.limit) throw new BlobTooLargeError(this.limit);
    return { sha256: this.hash.digest('hex'), bytes: this.bytes, head: this.head() };
  }

  private head(): Buffer {
    return Buffer.concat(this.headChunks);
  }
}

/**
 * The running digest of a resumable upload: SHA-256 and head of the bytes written so far,
 * carried from one PATCH to the next so a finished upload is never read again. No limit here: the
 * store applies it to the finished digest (`stageFile`).
 */
export class RunningDigest {
  private readonly hash: Hash = createHash('sha256');
  private readonly headParts: Buffer[] = [];
  /** How many bytes went in: the upload offset this state stands for. */
  bytes = 0;

  add(chunk: Buffer): void {
    // Copied: a slice would keep the whole socket buffer it came from alive as long as the upload.
    if (this.bytes < SNIFF_BYTES) this.headParts.push(Buffer.from(chunk.subarray(0, SNIFF_BYTES - this.bytes)));
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  /** The digest of the bytes so far; the state goes on (a copy of the hash is finished, not the hash). */
  current(): Digest {
    return { sha256: this.hash.copy().digest('hex'), bytes: this.bytes, head: Buffer.concat(this.headParts) };
  }
}

/**
 * Copies `source` into `file`, hashing in the same pass, and resolves only once the bytes are fsynced.
 * A plain loop rather than stream.pipeline: multipart file streams report a cut-off body with an
 * 'error' event that pipeline does not always settle on, and a hung upload is worse than a failed one.
 */
export async function writeHashed(source: Readable, file: string, limitFor: LimitFor, roomLeft: () => Promise<number>): Promise<Digest> {
  const digest = new DigestHasher(limitFor);
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600, highWaterMark: CHUNK, flush: true });
  const room = createRoomCheck(roomLeft, () => out.writableLength);
  let failed: Error | undefined;
  out.on('error', (error) => (failed = error));
  const closed = new Promise<void>((resolve) => out.once('close', resolve));
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (failed) throw failed;
      // Awaited only when there is something to wait for: a promise per chunk is garbage per chunk.
      const deciding = digest.add(chunk);
      if (deciding) await deciding;
      const asking = room(chunk.length);
      if (asking) await asking;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    const result = await digest.finish();
    out.end();
    await closed;
    if (failed) throw failed;
    return result;
  } catch (error) {
    out.destroy();
    await closed;
    throw error;
  }
}

/** Hashes a file already on disk (a finished resumable upload) and makes sure its bytes are durable. */
export async function hashInPlace(file: string, limitFor: LimitFor): Promise<Digest> {
  const digest = new DigestHasher(limitFor);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) await digest.add(chunk);
  const result = await digest.finish();
  await fsyncPath(file);
  return result;
}
