// fsync for a path: a file's bytes, or a folder's entries after a rename, reach the disk before we say so.
import fs from 'node:fs/promises';

export async function fsyncPath(target: string): Promise<void> {
  const handle = await fs.open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
