import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { FileReadable } from '../../storage/file-readable';
import { writeZip, type ZipEntry } from '../../storage/zip-writer';
import { tempDir } from '../helpers/server';

async function readWithYauzl(file: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (error, opened) => (error ? reject(error) : resolve(opened!))),
  );
  const contents = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, async (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        for await (const chunk of stream!) chunks.push(chunk as Buffer);
        contents.set(entry.fileName, Buffer.concat(chunks));
        zip.readEntry();
      });
    });
    zip.on('end', resolve).on('error', reject);
    zip.readEntry();
  });
  return contents;
}

/** An object store's response as the writer meets it: a plain stream in uneven chunks of its own. */
function streamOf(bytes: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0, size = 700_001; at < bytes.length; at += size, size = (size * 3) % 1_500_007 + 1) pieces.push(bytes.subarray(at, at + size));
  return Readable.from(pieces);
}

function writeTemp(dir: string, name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('streamed ZIP writer', () => {
  // Several read chunks long, and not a multiple of one, so pooled buffers are reused mid-file.
  const big = randomBytes(5 * 1024 * 1024 + 17);
  const other = randomBytes(3 * 1024 * 1024 + 5);
  const sources = tempDir('packtrail-zip-src-');
  const bigFile = writeTemp(sources, 'big.bin', big);
  const otherFile = writeTemp(sources, 'other.bin', other);
  const emptyFile = writeTemp(sources, 'empty.bin', Buffer.alloc(0));
  const entries = (): ZipEntry[] => [
    { path: 'README.txt', content: () => Buffer.from('hello '.repeat(1000)) },
    { path: 'media/01-포장-영상.webm', size: big.length, open: () => FileReadable.open(bigFile) },
    { path: 'media/empty.bin', size: 0, open: () => FileReadable.open(emptyFile) },
    { path: 'media/02-known-crc.bin', size: other.length, crc32: zlib.crc32(other), open: async () => streamOf(other) },
    { path: 'report.pdf', content: async () => Buffer.from('%PDF-1.4 later') },
  ];

  function expectReadable(file: string) {
    const unzip = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(unzip.status, unzip.stdout).toBe(0);
    const python = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.namelist()))', file], { encoding: 'utf8' });
    expect(python.stdout.trim(), python.stderr).toBe('5');
    // A CRC known ahead goes in the header itself; only an unknown one follows the bytes (flag bit 3).
    const flags = spawnSync('python3', ['-c', 'import sys, zipfile; print(" ".join(str(i.flag_bits & 8) for i in zipfile.ZipFile(sys.argv[1]).infolist()))', file], { encoding: 'utf8' });
    expect(flags.stdout.trim(), flags.stderr).toBe('0 8 8 0 0');
  }

  for (const forceZip64 of [false, true]) {
    it(`writes an archive unzip, Python and yauzl all read back byte for byte${forceZip64 ? ' (ZIP64 records)' : ''}`, async () => {
      const file = path.join(tempDir('packtrail-zip-'), 'out.zip');
      await writeZip(entries(), { mtime: new Date('2026-11-23T10:20:30Z'), forceZip64 }, fs.createWriteStream(file));
      expectReadable(file);

      const contents = await readWithYauzl(file);
      expect([...contents.keys()]).toEqual(['README.txt', 'media/01-포장-영상.webm', 'media/empty.bin', 'media/02-known-crc.bin', 'report.pdf']);
      expect(contents.get('media/01-포장-영상.webm')!.equals(big)).toBe(true);
      expect(contents.get('media/02-known-crc.bin')!.equals(other)).toBe(true);
      expect(contents.get('report.pdf')!.toString()).toBe('%PDF-1.4 later');
      expect(contents.get('media/empty.bin')!.length).toBe(0);
    });
  }

  it('reuses a read buffer only once the destination has finished writing it', async () => {
    // A destination that buffers a lot and writes slowly accepts chunks long before it is done with
    // them: a buffer reused before its write callback would change bytes still waiting to be written.
    const file = path.join(tempDir('packtrail-zip-'), 'slow.zip');
    const received: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 64 * 1024 * 1024,
      write(chunk: Buffer, _encoding, done) {
        setTimeout(() => {
          received.push(Buffer.from(chunk));
          done();
        }, 2);
      },
    });
    await writeZip(entries(), { mtime: new Date() }, slow);
    fs.writeFileSync(file, Buffer.concat(received));
    expectReadable(file);
    expect((await readWithYauzl(file)).get('media/01-포장-영상.webm')!.equals(big)).toBe(true);
  });

  it('fails when a file is not the size it was declared to be', async () => {
    const out = fs.createWriteStream(path.join(tempDir(), 'bad.zip'));
    await expect(writeZip([{ path: 'a', size: 10, open: () => FileReadable.open(otherFile) }], { mtime: new Date() }, out)).rejects.toThrow(/expected 10 bytes, the file has/);
    out.destroy();
  });

  it('fails when a streamed source is longer or shorter than declared', async () => {
    for (const [size, message] of [[other.length - 1, /the source has more/], [other.length + 1, /the source ended at/]] as const) {
      const out = fs.createWriteStream(path.join(tempDir(), 'bad.zip'));
      await expect(writeZip([{ path: 'a', size, open: async () => streamOf(other) }], { mtime: new Date() }, out)).rejects.toThrow(message);
      out.destroy();
    }
  });

  it('sums the CRC of a streamed source it does not know ahead', async () => {
    const file = path.join(tempDir('packtrail-zip-'), 'streamed.zip');
    await writeZip([{ path: 'media/streamed.bin', size: big.length, open: async () => streamOf(big) }], { mtime: new Date() }, fs.createWriteStream(file));
    expect(spawnSync('unzip', ['-t', file], { encoding: 'utf8' }).status).toBe(0);
    expect((await readWithYauzl(file)).get('media/streamed.bin')!.equals(big)).toBe(true);
  });

  it('refuses a destination that passes chunks on, which would still hold a buffer when it calls back', async () => {
    await expect(writeZip(entries(), { mtime: new Date() }, new PassThrough())).rejects.toThrow(/done with each chunk/);
  });

  it('stops when the destination closes early instead of waiting for ever', async () => {
    const out = fs.createWriteStream(path.join(tempDir(), 'cut.zip'));
    const writing = writeZip(entries(), { mtime: new Date() }, out);
    out.destroy();
    await expect(writing).rejects.toThrow();
  });

  it('writes a CRC recorded at ingest as is, so bytes changed on disk since then fail unzip -t', async () => {
    const flipped = Buffer.from(other);
    flipped[12345] ^= 0x01;
    const rotten = writeTemp(tempDir(), 'rotten.bin', flipped);
    const file = path.join(tempDir('packtrail-zip-'), 'rotten.zip');
    await writeZip([{ path: 'media/rotten.bin', size: flipped.length, crc32: zlib.crc32(other), open: () => FileReadable.open(rotten) }], { mtime: new Date() }, fs.createWriteStream(file));
    const unzip = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(unzip.status).not.toBe(0);
    expect(unzip.stdout).toMatch(/bad CRC/);
  });
});
