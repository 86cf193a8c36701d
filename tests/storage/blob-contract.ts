// The behaviour every originals store and derived store must show, whatever keeps the bytes: run by
// local-store.contract.test.ts on this disk and by s3-store.contract.test.ts against Ceph RGW.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobTooLargeError, type Digest, type DerivedStore, type OriginalsStore } from '../../storage/blobs/blob-store';
import { SNIFF_BYTES } from '../../storage/blobs/digest';

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const noLimit = async () => Number.MAX_SAFE_INTEGER;

async function readAll(stream: Readable | undefined): Promise<Buffer> {
  if (!stream) throw new Error('no stream');
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A source that yields `bytes` in uneven pieces, as a network body would. */
function sourceOf(bytes: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0, size = 1000; at < bytes.length; at += size, size = (size * 7) % 300_000 + 1) pieces.push(bytes.subarray(at, at + size));
  return Readable.from(pieces);
}

function expectedDigest(bytes: Buffer): Omit<Digest, 'head'> & { head: Buffer } {
  return { sha256: sha256Of(bytes), bytes: bytes.length, head: bytes.subarray(0, SNIFF_BYTES) };
}

async function listed(store: OriginalsStore): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for await (const original of store.list()) found.set(original.sha256, original.bytes);
  return found;
}

export function describeOriginalsStoreContract(name: string, open: () => Promise<{ store: OriginalsStore; close(): Promise<void> }>): void {
  describe(`OriginalsStore contract: ${name}`, () => {
    let store: OriginalsStore;
    let close: () => Promise<void>;
    let scratch: string;
    beforeAll(async () => {
      ({ store, close } = await open());
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-contract-'));
    });
    afterAll(async () => {
      await close?.();
      fs.rmSync(scratch, { recursive: true, force: true });
    });

    it('stages while hashing, commits, and opens the whole original or a range of it', async () => {
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      let headSeen: Buffer | undefined;
      const staged = await store.stage(sourceOf(bytes), async (head) => {
        headSeen = Buffer.from(head);
        return bytes.length;
      });
      const expected = expectedDigest(bytes);
      expect({ sha256: staged.sha256, bytes: staged.bytes }).toEqual({ sha256: expected.sha256, bytes: expected.bytes });
      expect(staged.head.equals(expected.head)).toBe(true);
      expect(headSeen?.equals(expected.head)).toBe(true);
      expect(typeof staged.ref).toBe('string');
      expect(await store.has(staged.sha256)).toBe(false);

      expect(await store.commit(staged)).toBe(true);
      expect(await store.has(staged.sha256)).toBe(true);
      expect((await readAll(await store.open(staged.sha256))).equals(bytes)).toBe(true);
      expect((await readAll(await store.open(staged.sha256, { start: 10, end: 1_000_009 }))).equals(bytes.subarray(10, 1_000_010))).toBe(true);
      expect((await readAll(await store.open(staged.sha256, { start: bytes.length - 1, end: bytes.length - 1 }))).equals(bytes.subarray(-1))).toBe(true);
    });

    it('commits identical bytes once: the second commit answers false and the original stays whole', async () => {
      const bytes = randomBytes(200_000);
      expect(await store.commit(await store.stage(sourceOf(bytes), noLimit))).toBe(true);
      const again = await store.stage(sourceOf(bytes), noLimit);
      expect(await store.commit(again)).toBe(false);
      expect((await readAll(await store.open(again.sha256))).equals(bytes)).toBe(true);
    });

    it('refuses bytes past the limit decided from their head with BlobTooLargeError, leaving nothing', async () => {
      const bytes = randomBytes(2 * 1024 * 1024);
      const error = await store.stage(sourceOf(bytes), async () => 1024 * 1024).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BlobTooLargeError);
      expect((error as BlobTooLargeError).limit).toBe(1024 * 1024);
      expect(await store.has(sha256Of(bytes))).toBe(false);
      expect((await listed(store)).has(sha256Of(bytes))).toBe(false);
    });

    it('refuses a file smaller than SNIFF_BYTES over its limit too (the limit is asked at the end)', async () => {
      const bytes = randomBytes(100);
      await expect(store.stage(sourceOf(bytes), async () => 50)).rejects.toBeInstanceOf(BlobTooLargeError);
    });

    it('passes on a source that fails mid-way, leaving nothing', async () => {
      const bytes = randomBytes(1024 * 1024);
      const failing = Readable.from(
        (async function* () {
          yield bytes.subarray(0, 500_000);
          throw new Error('connection reset');
        })(),
      );
      await expect(store.stage(failing, noLimit)).rejects.toThrow('connection reset');
      expect(await store.has(sha256Of(bytes.subarray(0, 500_000)))).toBe(false);
    });

    it('discards staged bytes that will not be committed, and a second discard does not throw', async () => {
      const bytes = randomBytes(300_000);
      const staged = await store.stage(sourceOf(bytes), noLimit);
      await store.discard(staged);
      await store.discard(staged);
      expect(await store.has(staged.sha256)).toBe(false);
    });

    it('lends the staged bytes by path to a check that needs one', async () => {
      const bytes = randomBytes(400_000);
      const staged = await store.stage(sourceOf(bytes), noLimit);
      try {
        const read = await store.withStagedFile(staged, async (file) => fs.promises.readFile(file));
        expect(read.equals(bytes)).toBe(true);
      } finally {
        await store.discard(staged);
      }
    });

    it('takes over a finished local file without a digest: hashes it, and the file is gone', async () => {
      const bytes = randomBytes(1024 * 1024 + 3);
      const file = path.join(scratch, `${randomUUID()}.upload`);
      fs.writeFileSync(file, bytes);
      const staged = await store.stageFile(file, noLimit);
      expect(fs.existsSync(file)).toBe(false);
      const expected = expectedDigest(bytes);
      expect({ sha256: staged.sha256, bytes: staged.bytes }).toEqual({ sha256: expected.sha256, bytes: expected.bytes });
      expect(staged.head.equals(expected.head)).toBe(true);
      expect(await store.commit(staged)).toBe(true);
      expect((await readAll(await store.open(staged.sha256))).equals(bytes)).toBe(true);
    });

    it('takes over a finished local file with the digest computed as it arrived', async () => {
      const bytes = randomBytes(700_000);
      const file = path.join(scratch, `${randomUUID()}.upload`);
      fs.writeFileSync(file, bytes);
      const digest = expectedDigest(bytes);
      const staged = await store.stageFile(file, noLimit, digest);
      expect(fs.existsSync(file)).toBe(false);
      expect({ sha256: staged.sha256, bytes: staged.bytes }).toEqual({ sha256: digest.sha256, bytes: digest.bytes });
      expect(await store.commit(staged)).toBe(true);
      expect((await readAll(await store.open(digest.sha256))).equals(bytes)).toBe(true);
    });

    it('refuses a finished local file over its limit, with or without a digest, leaving no original', async () => {
      for (const withDigest of [false, true]) {
        const bytes = randomBytes(200_000);
        const file = path.join(scratch, `${randomUUID()}.upload`);
        fs.writeFileSync(file, bytes);
        const digest = withDigest ? expectedDigest(bytes) : undefined;
        await expect(store.stageFile(file, async () => 100_000, digest)).rejects.toBeInstanceOf(BlobTooLargeError);
        expect(await store.has(sha256Of(bytes))).toBe(false);
      }
    });

    it('lists originals with their sizes, and removes one', async () => {
      const bytes = randomBytes(123_457);
      const staged = await store.stage(sourceOf(bytes), noLimit);
      await store.commit(staged);
      const before = await listed(store);
      expect(before.get(staged.sha256)).toBe(bytes.length);
      for await (const original of store.list()) {
        if (original.sha256 !== staged.sha256) continue;
        expect(original.writtenAt).toBeInstanceOf(Date);
        expect(Math.abs(original.writtenAt.getTime() - Date.now())).toBeLessThan(10 * 60_000);
      }
      await store.remove(staged.sha256);
      expect(await store.has(staged.sha256)).toBe(false);
      expect((await listed(store)).has(staged.sha256)).toBe(false);
      await expect(store.open(staged.sha256).then(readAll)).rejects.toThrow();
    });

    it('lends a codec a local copy of an original, and answers what the use answered', async () => {
      const bytes = randomBytes(500_001);
      const staged = await store.stage(sourceOf(bytes), noLimit);
      await store.commit(staged);
      let lent = '';
      const answer = await store.withLocalCopy(staged.sha256, async (file) => {
        lent = file;
        expect(fs.readFileSync(file).equals(bytes)).toBe(true);
        return 42;
      });
      expect(answer).toBe(42);
      // Still whole afterwards, whether the store lent the original itself or a copy it removed.
      expect((await readAll(await store.open(staged.sha256))).equals(bytes)).toBe(true);
      expect(lent).not.toBe('');
    });

    it('refuses to lend or open an original it does not have', async () => {
      const missing = sha256Of(randomBytes(32));
      expect(await store.has(missing)).toBe(false);
      await expect(store.withLocalCopy(missing, async () => 'used')).rejects.toThrow();
      await expect(store.open(missing).then(readAll)).rejects.toThrow();
    });

    it('sweeps staging without touching originals', async () => {
      const bytes = randomBytes(100_000);
      const staged = await store.stage(sourceOf(bytes), noLimit);
      await store.commit(staged);
      expect(await store.sweepStaging()).toBeGreaterThanOrEqual(0);
      expect((await readAll(await store.open(staged.sha256))).equals(bytes)).toBe(true);
    });

    it('tells how much room is left for staging', async () => {
      expect(await store.freeBytes()).toBeGreaterThan(0);
      expect(typeof (await store.roomLeft())).toBe('number');
    });
  });
}

export function describeDerivedStoreContract(name: string, open: () => Promise<{ store: DerivedStore; close(): Promise<void> }>): void {
  describe(`DerivedStore contract: ${name}`, () => {
    let store: DerivedStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(async () => {
      await close?.();
    });

    it('puts a produced file in place, with its size, whole or as a range', async () => {
      const id = randomUUID();
      const bytes = randomBytes(100_000);
      let madeAt = '';
      await store.produce(id, 'playback.mp4', async (file) => {
        madeAt = file;
        expect(file.endsWith('.mp4')).toBe(true);
        fs.writeFileSync(file, bytes);
      });
      expect(fs.existsSync(madeAt)).toBe(false);
      expect((await store.stat(id, 'playback.mp4'))?.bytes).toBe(bytes.length);
      expect((await readAll(await store.open(id, 'playback.mp4'))).equals(bytes)).toBe(true);
      expect((await readAll(await store.open(id, 'playback.mp4', { start: 5, end: 99 }))).equals(bytes.subarray(5, 100))).toBe(true);
      expect((await store.withLocalFile(id, 'playback.mp4', async (file) => fs.readFileSync(file)))?.equals(bytes)).toBe(true);
    });

    it('keeps the old file when making a new one fails, and shows nothing half-made', async () => {
      const id = randomUUID();
      await store.produce(id, 'thumbnail.jpg', async (file) => fs.writeFileSync(file, 'old'));
      await expect(
        store.produce(id, 'thumbnail.jpg', async (file) => {
          fs.writeFileSync(file, 'half');
          throw new Error('codec failed');
        }),
      ).rejects.toThrow('codec failed');
      expect((await readAll(await store.open(id, 'thumbnail.jpg'))).toString()).toBe('old');
      await store.produce(id, 'thumbnail.jpg', async (file) => fs.writeFileSync(file, 'new'));
      expect((await readAll(await store.open(id, 'thumbnail.jpg'))).toString()).toBe('new');
    });

    it('answers undefined for what was never made', async () => {
      const id = randomUUID();
      expect(await store.stat(id, 'thumbnail.jpg')).toBeUndefined();
      expect(await store.open(id, 'thumbnail.jpg')).toBeUndefined();
      expect(await store.withLocalFile(id, 'thumbnail.jpg', async () => 'used')).toBeUndefined();
      expect(await store.list(id, 'stills')).toEqual([]);
    });

    it('replaces a folder of files as a whole, and lends its entries', async () => {
      const id = randomUUID();
      await store.produceFolder(id, 'stills', async (dir) => {
        fs.writeFileSync(path.join(dir, 'still-000000000.jpg'), 'a');
        fs.writeFileSync(path.join(dir, 'still-000005000.jpg'), 'b');
      });
      expect(await store.list(id, 'stills')).toEqual(['still-000000000.jpg', 'still-000005000.jpg']);
      await store.produceFolder(id, 'stills', async (dir) => fs.writeFileSync(path.join(dir, 'still-000001000.jpg'), 'c'));
      expect(await store.list(id, 'stills')).toEqual(['still-000001000.jpg']);
      expect(await store.withLocalFile(id, 'stills/still-000001000.jpg', async (file) => fs.readFileSync(file, 'utf8'))).toBe('c');
      await expect(store.produceFolder(id, 'stills', async () => Promise.reject(new Error('ffmpeg died')))).rejects.toThrow('ffmpeg died');
      expect(await store.list(id, 'stills')).toEqual(['still-000001000.jpg']);
    });

    it('removes every derived file of a media item, and only of that one', async () => {
      const id = randomUUID();
      const other = randomUUID();
      await store.produce(id, 'thumbnail.jpg', async (file) => fs.writeFileSync(file, 'x'));
      await store.produceFolder(id, 'stills', async (dir) => fs.writeFileSync(path.join(dir, 'still-000000000.jpg'), 'y'));
      await store.produce(other, 'thumbnail.jpg', async (file) => fs.writeFileSync(file, 'z'));
      await store.removeAll(id);
      expect(await store.stat(id, 'thumbnail.jpg')).toBeUndefined();
      expect(await store.list(id, 'stills')).toEqual([]);
      expect(await store.stat(other, 'thumbnail.jpg')).toBeDefined();
      await store.removeAll(id);
    });

    it('refuses names that could reach outside the media item', async () => {
      const id = randomUUID();
      await expect(store.stat(id, '../thumbnail.jpg')).rejects.toThrow();
      await expect(store.open('../../etc', 'passwd')).rejects.toThrow();
      await expect(store.produce(id, '../x.jpg', async () => {})).rejects.toThrow();
    });
  });
}
