// The ledger's Ed25519 signing key: made once on first start in DATA_DIR/ledger, reused ever after.
import fs from 'node:fs';
import path from 'node:path';
import { createNoteSigner, generateSignerKey, type NoteSigner } from './signed-note';

export const signingKeyFileName = 'signing.key';

/**
 * Loads the signer from `${dataDir}/ledger/signing.key`, creating it for `name` if absent.
 * An existing key keeps the name it was made with: every checkpoint ever published names it, so
 * changing it would make the log look like a different one.
 */
export function loadOrCreateSigningKey(dataDir: string, name: string): NoteSigner {
  return loadSigningKey(dataDir) ?? createSigningKey(dataDir, name);
}

const keyFile = (dataDir: string) => path.join(dataDir, 'ledger', signingKeyFileName);

/** The signer of `${dataDir}/ledger/signing.key`, or undefined when no key was made yet. */
export function loadSigningKey(dataDir: string): NoteSigner | undefined {
  const file = keyFile(dataDir);
  if (!fs.existsSync(file)) return undefined;
  // Someone may have copied the file with looser permissions; a readable signing key is a forgery kit.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return createNoteSigner(fs.readFileSync(file, 'utf8').trim());
}

/** Makes the log's key for `name`; if another process made one meanwhile, that one is loaded instead. */
export function createSigningKey(dataDir: string, name: string): NoteSigner {
  const file = keyFile(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) writeNewKey(file, generateSignerKey(name).signerKey);
  return loadSigningKey(dataDir)!;
}

function writeNewKey(file: string, signerKey: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${signerKey}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    // link() refuses to replace: if another process made a key meanwhile, theirs wins and ours goes.
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.unlinkSync(temporary);
  }
  const dirFd = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}
