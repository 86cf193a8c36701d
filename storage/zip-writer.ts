// The only importer of yazl: writes a ZIP as a stream, opening each entry's source only when its turn
// comes, so a bundle of gigabytes needs neither a temp copy nor memory beyond one chunk.
import type { Readable } from 'node:stream';
import yazl from 'yazl';

export interface ZipEntry {
  path: string;
  /** Known size of the content; lets ZIP64 be chosen up front for files over 4 GB. */
  size?: number;
  /** Originals are already compressed media: storing them keeps export at disk speed. */
  compress: boolean;
  /** Called when the entry is written; may wait (e.g. for a report still rendering). */
  open(): Promise<Readable> | Readable;
}

export function zipStream(entries: ZipEntry[], mtime: Date): Readable {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    const options = { mtime, mode: 0o100644, compress: entry.compress, ...(entry.size !== undefined ? { size: entry.size } : {}) };
    zip.addReadStreamLazy(entry.path, options, (callback) => {
      Promise.resolve()
        .then(() => entry.open())
        .then((stream) => callback(null, stream), (error) => callback(error, undefined as never));
    });
  }
  zip.end();
  const output = zip.outputStream as Readable;
  // A failing entry (a file gone missing) must end the download visibly, not leave it hanging.
  zip.on('error', (error: Error) => output.destroy(error));
  return output;
}
