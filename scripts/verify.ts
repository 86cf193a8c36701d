// `npm run verify -- bundle.zip` (or an unzipped bundle folder): the checks of the bundle's own
// verification/verify.mjs, run by the same verification core, reading straight from the ZIP.
import { createHash, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { checkCheckpointTimestamps } from '../server/services/ledger/verifier/timestamp.js';
import { CAPTURE_FACTS_PATH, EXPORT_STATEMENT_PATH, formatBundleReport, verifyBundle } from '../server/services/ledger/verifier/verify-core';

interface BundleSource {
  readBytes(bundlePath: string): Promise<Buffer>;
  readText(bundlePath: string): Promise<string>;
  /** SHA-256 and size of a bundle file, or null when the bundle has no such file. */
  hashFile(bundlePath: string): Promise<{ sha256: string; bytes: number } | null>;
  /** Every file in the bundle, bundle-relative, so files added after export are found. */
  listFiles(): Promise<string[]>;
  close(): void;
}

async function readOptional(source: BundleSource, bundlePath: string): Promise<string | null> {
  return (await source.hashFile(bundlePath)) ? source.readText(bundlePath) : null;
}

function walk(root: string, folder = ''): string[] {
  return fs.readdirSync(path.join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    return entry.isDirectory() ? walk(root, relative) : [relative];
  });
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
    listFiles: async () => walk(root),
    close() {},
  };
}

/** A ZIP that cannot be read to the end: reported as one sentence, never as a stack trace. */
class DamagedZipError extends Error {}

const damaged = (error: unknown) => (error instanceof DamagedZipError ? error : new DamagedZipError((error as Error).message));

async function zipSource(file: string): Promise<BundleSource> {
  try {
    return await openZip(file);
  } catch (error) {
    throw damaged(error);
  }
}

async function openZip(file: string): Promise<BundleSource> {
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
  // An entry with a broken local header or cut short fails only when it is read.
  const open = (entry: yauzl.Entry) =>
    new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(entry, (error, stream) => (error ? reject(damaged(error)) : resolve(stream))),
    );
  const readBytes = async (bundlePath: string) => {
    const entry = entries.get(prefix + bundlePath);
    if (!entry) throw new Error(`the ZIP has no ${bundlePath}`);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of await open(entry)) chunks.push(chunk as Buffer);
    } catch (error) {
      throw damaged(error);
    }
    return Buffer.concat(chunks);
  };
  return {
    readBytes,
    readText: async (bundlePath) => (await readBytes(bundlePath)).toString('utf8'),
    async hashFile(bundlePath) {
      const entry = entries.get(prefix + bundlePath);
      if (!entry) return null;
      try {
        return await hashStream(await open(entry));
      } catch (error) {
        throw damaged(error);
      }
    },
    listFiles: async () => [...entries.keys()].filter((name) => name.startsWith(prefix)).map((name) => name.slice(prefix.length)),
    close: () => zip.close(),
  };
}

/** Input that cannot be read at all exits 2, as a missing file or a folder without verification files does. */
function unreadable(error: unknown): number {
  const reason = (error as Error).message.replace(/\.$/, '');
  console.error(`This ZIP is damaged or incomplete: ${reason}. Download or copy the bundle again and check the new copy.`);
  return 2;
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
  let source: BundleSource;
  try {
    source = fs.statSync(target).isDirectory() ? folderSource(target) : await zipSource(target);
  } catch (error) {
    return unreadable(error);
  }
  try {
    let texts;
    try {
      texts = {
        checkpointText: await source.readText('verification/checkpoint.txt'),
        keyText: await source.readText('verification/key.txt'),
        proofsText: await source.readText('verification/proofs.json'),
        statementText: await readOptional(source, EXPORT_STATEMENT_PATH),
        captureFactsText: await readOptional(source, CAPTURE_FACTS_PATH),
      };
    } catch (error) {
      if (error instanceof DamagedZipError) return unreadable(error);
      console.error(`This is not a Packtrail bundle with verification files: ${(error as Error).message}`);
      return 2;
    }
    // The checkpoint's RFC 3161 time-stamp, when the bundle has one, checked as verify.mjs checks it.
    const token = await source.readBytes('verification/checkpoint.tsr').catch(() => undefined);
    const certificatesPem = token ? await source.readText('verification/tsa-certificates.pem').catch(() => '') : '';
    const checkTime = token
      ? (checkpointText: string) => checkCheckpointTimestamps({ checkpointText, tokens: [token], certificatesPem, crypto: webcrypto as unknown as Crypto })
      : undefined;
    // Bundles in the v1 format predate export statements; their originals are still checked.
    const report = await verifyBundle({
      ...texts, hashFile: (bundlePath) => source.hashFile(bundlePath), listFiles: () => source.listFiles(), checkTime,
    });
    for (const line of formatBundleReport(report)) console.log(line);
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof DamagedZipError) return unreadable(error);
    throw error;
  } finally {
    source.close();
  }
}

process.exitCode = await main(process.argv[2]);
