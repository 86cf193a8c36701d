// `npm run verify -- bundle.zip` (or an unzipped bundle folder): the checks of the bundle's own
// verification/verify.mjs, run by the same verification core, reading straight from the ZIP.
import { createHash, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { checkCheckpointTimestamps } from '../server/services/ledger/verifier/timestamp.js';
import { formatBundleReport, verifyBundle } from '../server/services/ledger/verifier/verify-core';

interface BundleSource {
  readBytes(bundlePath: string): Promise<Buffer>;
  readText(bundlePath: string): Promise<string>;
  /** SHA-256 and size of a bundle file, or null when the bundle has no such file. */
  hashFile(bundlePath: string): Promise<{ sha256: string; bytes: number } | null>;
  close(): void;
}

async function hashStream(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

function folderSource(root: string): BundleSource {
  const resolve = (bundlePath: string) => path.join(root, ...bundlePath.split('/'));
  return {
    readBytes: async (bundlePath) => fs.promises.readFile(resolve(bundlePath)),
    readText: async (bundlePath) => fs.promises.readFile(resolve(bundlePath), 'utf8'),
    async hashFile(bundlePath) {
      const file = resolve(bundlePath);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return null;
      return hashStream(fs.createReadStream(file));
    },
    close() {},
  };
}

async function zipSource(file: string): Promise<BundleSource> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  // Some tools zip a bundle inside a folder of its own name; accept that one level of nesting.
  const proofsName = [...entries.keys()].find((name) => name === 'verification/proofs.json' || name.endsWith('/verification/proofs.json'));
  const prefix = proofsName ? proofsName.slice(0, -'verification/proofs.json'.length) : '';
  const open = (entry: yauzl.Entry) =>
    new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))),
    );
  const readBytes = async (bundlePath: string) => {
    const entry = entries.get(prefix + bundlePath);
    if (!entry) throw new Error(`the ZIP has no ${bundlePath}`);
    const chunks: Buffer[] = [];
    for await (const chunk of await open(entry)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  return {
    readBytes,
    readText: async (bundlePath) => (await readBytes(bundlePath)).toString('utf8'),
    async hashFile(bundlePath) {
      const entry = entries.get(prefix + bundlePath);
      return entry ? hashStream(await open(entry)) : null;
    },
    close: () => zip.close(),
  };
}

async function main(target: string | undefined): Promise<number> {
  if (!target) {
    console.error('Usage: npm run verify -- <bundle.zip | unzipped bundle folder>');
    return 2;
  }
  if (!fs.existsSync(target)) {
    console.error(`No such file or folder: ${target}`);
    return 2;
  }
  const source = fs.statSync(target).isDirectory() ? folderSource(target) : await zipSource(target);
  try {
    let texts;
    try {
      texts = {
        checkpointText: await source.readText('verification/checkpoint.txt'),
        keyText: await source.readText('verification/key.txt'),
        proofsText: await source.readText('verification/proofs.json'),
      };
    } catch (error) {
      console.error(`This is not a Packtrail bundle with verification files: ${(error as Error).message}`);
      return 2;
    }
    // The checkpoint's RFC 3161 time-stamp, when the bundle has one, checked as verify.mjs checks it.
    const token = await source.readBytes('verification/checkpoint.tsr').catch(() => undefined);
    const certificatesPem = token ? await source.readText('verification/tsa-certificates.pem').catch(() => '') : '';
    const checkTime = token
      ? (checkpointText: string) => checkCheckpointTimestamps({ checkpointText, tokens: [token], certificatesPem, crypto: webcrypto as unknown as Crypto })
      : undefined;
    const report = await verifyBundle({ ...texts, hashFile: (bundlePath) => source.hashFile(bundlePath), checkTime });
    for (const line of formatBundleReport(report)) console.log(line);
    return report.ok ? 0 : 1;
  } finally {
    source.close();
  }
}

process.exitCode = await main(process.argv[2]);
