#!/usr/bin/env node
// Checks a Packtrail evidence bundle offline with nothing but Node.js 18 or newer. From the unzipped
// bundle's folder run:   node verification/verify.mjs
// For every original listed in verification/proofs.json it checks that the file's bytes are the ones
// the shop's ledger recorded, that this ledger entry is in the log (its inclusion proof leads to the
// checkpoint's root hash), and that the checkpoint is signed by the key in verification/key.txt.
// Each capture's facts (verification/capture-facts.json) are checked against the log the same way,
// and every document made at export (manifest.json, the report, these files) against the signed
// verification/export-statement.txt; a file the export did not make is reported too.
// When the bundle has verification/checkpoint.tsr, it checks that RFC 3161 time-stamp token over the
// checkpoint with verification/timestamp.mjs (the check and PKI.js, bundled: no npm needed).
// It prints "verified" or exactly what failed for each file, and exits with status 1 on any failure.
import { CAPTURE_FACTS_PATH, EXPORT_STATEMENT_PATH, formatBundleReport, verifyBundle } from './verify-core.js';
import { createHash, createPublicKey, verify, webcrypto } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const verificationDir = path.dirname(fileURLToPath(import.meta.url));
const bundleRoot = path.resolve(process.argv[2] ?? path.join(verificationDir, '..'));

function readVerificationFile(name) {
  return readFileSync(path.join(bundleRoot, 'verification', name), 'utf8');
}

/** A bundle file's text, or null when the bundle has no such file (the checks then say what is missing). */
function readOptional(relativePath) {
  try {
    return readFileSync(path.join(bundleRoot, ...relativePath.split('/')), 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'EISDIR') return null;
    throw error;
  }
}

/** Every file under the bundle folder, bundle-relative with "/" separators, so added files are found. */
async function listBundleFiles(folder = '') {
  const files = [];
  for (const entry of readdirSync(path.join(bundleRoot, folder), { withFileTypes: true })) {
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listBundleFiles(relative)));
    else files.push(relative);
  }
  return files;
}

async function hashBundleFile(relativePath) {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path.join(bundleRoot, ...relativePath.split('/')))) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'EISDIR') return null;
    throw error;
  }
  return { sha256: hash.digest('hex'), bytes };
}

// node:crypto rather than Web Crypto: it has had Ed25519 for longer, so older Node versions work too.
async function ed25519Verify(publicKey, signature, message) {
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  });
  return verify(null, message, key, signature);
}

let texts;
try {
  texts = {
    checkpointText: readVerificationFile('checkpoint.txt'),
    keyText: readVerificationFile('key.txt'),
    proofsText: readVerificationFile('proofs.json'),
    statementText: readOptional(EXPORT_STATEMENT_PATH),
    captureFactsText: readOptional(CAPTURE_FACTS_PATH),
  };
} catch (error) {
  console.error(`Cannot read the verification files under ${path.join(bundleRoot, 'verification')}: ${error.message}`);
  console.error('Run this from the unzipped bundle folder: node verification/verify.mjs');
  process.exit(2);
}

// The time-stamp check is the script beside this one, loaded only when there is a token to check.
async function timeCheck() {
  const tokenFile = path.join(bundleRoot, 'verification', 'checkpoint.tsr');
  if (!existsSync(tokenFile)) return undefined;
  const token = new Uint8Array(readFileSync(tokenFile));
  const certificatesFile = path.join(bundleRoot, 'verification', 'tsa-certificates.pem');
  const certificatesPem = existsSync(certificatesFile) ? readFileSync(certificatesFile, 'utf8') : '';
  return async (checkpointText) => {
    const { checkCheckpointTimestamps } = await import(pathToFileURL(path.join(verificationDir, 'timestamp.mjs')).href);
    return checkCheckpointTimestamps({ checkpointText, tokens: [token], certificatesPem, crypto: webcrypto });
  };
}

// This script came with a bundle made with an export statement, so a bundle without one fails.
const report = await verifyBundle({
  ...texts, hashFile: hashBundleFile, listFiles: listBundleFiles, requireStatement: true, ed25519Verify, checkTime: await timeCheck(),
});
for (const line of formatBundleReport(report)) console.log(line);
process.exitCode = report.ok ? 0 : 1;
