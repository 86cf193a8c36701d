// A server secret kept in one file under DATA_DIR: 32 random bytes made on first use, readable by the
// service's user only, written whole (temporary file, fsync, rename) so a crash never leaves half a key.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function readOrCreateSecret(file: string): Buffer {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(temporary, 'w', 0o600);
    try {
      fs.writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // Another process that made one meanwhile wins: the first key stays.
    if (fs.existsSync(file)) fs.rmSync(temporary);
    else fs.renameSync(temporary, file);
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
}
