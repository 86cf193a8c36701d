import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { zipStream, type ZipEntry } from '../../storage/zip-writer';
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

describe('streamed ZIP writer', () => {
  const big = randomBytes(3 * 1024 * 1024 + 17);
  const entries = (): ZipEntry[] => [
    { path: 'README.txt', content: () => Buffer.from('hello '.repeat(1000)) },
    { path: 'media/01-포장-영상.webm', size: big.length, open: () => Readable.from([big.subarray(0, 1000), big.subarray(1000)]) },
    { path: 'media/empty.bin', size: 0, open: () => Readable.from([]) },
    { path: 'media/02-known-crc.bin', size: big.length, crc32: zlib.crc32(big), open: () => Readable.from([big]) },
    { path: 'report.pdf', content: async () => Buffer.from('%PDF-1.4 later') },
  ];

  for (const forceZip64 of [false, true]) {
    it(`writes an archive unzip, Python and yauzl all read back byte for byte${forceZip64 ? ' (ZIP64 records)' : ''}`, async () => {
      const file = path.join(tempDir('packtrail-zip-'), 'out.zip');
      await pipeline(zipStream(entries(), { mtime: new Date('2026-11-23T10:20:30Z'), forceZip64 }), fs.createWriteStream(file));

      const unzip = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
      expect(unzip.status, unzip.stdout).toBe(0);
      const python = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(len(z.namelist()))', file], { encoding: 'utf8' });
      expect(python.stdout.trim(), python.stderr).toBe('5');

      const contents = await readWithYauzl(file);
      expect([...contents.keys()]).toEqual(['README.txt', 'media/01-포장-영상.webm', 'media/empty.bin', 'media/02-known-crc.bin', 'report.pdf']);
      expect(contents.get('media/02-known-crc.bin')!.equals(big)).toBe(true);
      expect(contents.get('media/01-포장-영상.webm')!.equals(big)).toBe(true);
      expect(contents.get('report.pdf')!.toString()).toBe('%PDF-1.4 later');
      expect(contents.get('media/empty.bin')!.length).toBe(0);
    });
  }

  it('fails the stream when a file is not the size it was declared to be', async () => {
    const stream = zipStream([{ path: 'a', size: 10, open: () => Readable.from([Buffer.alloc(5)]) }], { mtime: new Date() });
    await expect(pipeline(stream, fs.createWriteStream(path.join(tempDir(), 'bad.zip')))).rejects.toThrow(/expected 10 bytes, read 5/);
  });

  it('writes a CRC recorded at ingest as is, so bytes changed on disk since then fail unzip -t', async () => {
    const recorded = zlib.crc32(big);
    const flipped = Buffer.from(big);
    flipped[12345] ^= 0x01;
    const file = path.join(tempDir('packtrail-zip-'), 'rotten.zip');
    await pipeline(zipStream([{ path: 'media/rotten.bin', size: flipped.length, crc32: recorded, open: () => Readable.from([flipped]) }], { mtime: new Date() }), fs.createWriteStream(file));
    const unzip = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(unzip.status).not.toBe(0);
    expect(unzip.stdout).toMatch(/bad CRC/);
  });
});
