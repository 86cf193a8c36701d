// Writes a ZIP straight to its destination, opening each entry's source only when its turn comes, so a
// bundle of gigabytes needs neither a temp copy nor memory beyond a few chunks.
//
// Written by hand rather than with yazl or archiver: both compute CRC-32 in JavaScript (about
// 400 MB/s here), ten times slower than the disk the originals come from, and both allocate a fresh
// buffer for every chunk they read. Here files are read into a small pool of buffers that are reused
// once the destination reports each write done: a fresh 1 MiB buffer per chunk cost the service
// page faults and a garbage collection every few dozen megabytes, most of an export's CPU time.
// Only what bundles need is here: stored entries with their CRC known ahead or summed as they stream
// (then in a data descriptor), small deflated entries from memory, UTF-8 names, and ZIP64 where
// sizes or offsets pass 4 GiB (APPNOTE.TXT 6.3.10, sections 4.3.7–4.3.16 and 4.5.3).
import { Socket } from 'node:net';
import { Duplex, type Readable, type Writable } from 'node:stream';
import zlib from 'node:zlib';
import { FileReadable } from './file-readable';

export type ZipEntry =
  | {
      path: string;
      /**
       * Stored as is (media is already compressed): its bytes, which must be `size` of them, opened when
       * the entry's turn comes. A local file (FileReadable) is read into the writer's pooled buffers;
       * any other stream (an object store's) is passed on chunk by chunk as it arrives.
       */
      open: () => Promise<Readable>;
      size: number;
      /**
       * The bytes' CRC-32 when known ahead (originals ingested before 26 Nov 2026 have it recorded): the
       * header then carries it and the bytes pass through untouched. Without it the CRC is summed as
       * they stream and follows them in a data descriptor.
       */
      crc32?: number;
    }
  | {
      path: string;
      /** Small content from memory, deflated; may be awaited (a report still rendering). */
      content: () => Buffer | Promise<Buffer>;
    };

export interface ZipOptions {
  mtime: Date;
  /** Tests set this to exercise the ZIP64 records without writing 4 GiB. */
  forceZip64?: boolean;
}

const MAX_32 = 0xffffffff;
const MAX_16 = 0xffff;
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const STORE = 0;
const DEFLATE = 8;
const UNIX_FILE_MODE = 0o100644;
const MADE_BY_UNIX = 3 << 8;
const READ_CHUNK = 1 << 20;
// Enough chunks in flight to keep the disk and the socket busy at once.
const POOLED_CHUNKS = 4;

interface Written {
  name: Buffer;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  zip64: boolean;
}

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

function zip64Extra(values: number[]): Buffer {
  const extra = Buffer.alloc(4 + values.length * 8);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(values.length * 8, 2);
  values.forEach((value, i) => extra.writeBigUInt64LE(BigInt(value), 4 + i * 8));
  return extra;
}

function localHeader(entry: Omit<Written, 'offset'>, when: { time: number; date: number }, sizesKnown: boolean): Buffer {
  // With a data descriptor the header's CRC and sizes are zero; ZIP64 entries carry an extra field
  // whose presence tells readers the descriptor uses 8-byte sizes.
  const extra = entry.zip64 ? zip64Extra(sizesKnown ? [entry.size, entry.compressedSize] : [0, 0]) : Buffer.alloc(0);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(entry.zip64 ? 45 : 20, 4);
  header.writeUInt16LE(entry.flags, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(when.time, 10);
  header.writeUInt16LE(when.date, 12);
  header.writeUInt32LE(sizesKnown ? entry.crc : 0, 14);
  header.writeUInt32LE(entry.zip64 ? MAX_32 : sizesKnown ? entry.compressedSize : 0, 18);
  header.writeUInt32LE(entry.zip64 ? MAX_32 : sizesKnown ? entry.size : 0, 22);
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(extra.length, 28);
  return Buffer.concat([header, entry.name, extra]);
}

function dataDescriptor(entry: Written): Buffer {
  const descriptor = Buffer.alloc(entry.zip64 ? 24 : 16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(entry.crc, 4);
  if (entry.zip64) {
    descriptor.writeBigUInt64LE(BigInt(entry.compressedSize), 8);
    descriptor.writeBigUInt64LE(BigInt(entry.size), 16);
  } else {
    descriptor.writeUInt32LE(entry.compressedSize, 8);
    descriptor.writeUInt32LE(entry.size, 12);
  }
  return descriptor;
}

function centralHeader(entry: Written, when: { time: number; date: number }, force: boolean): Buffer {
  const bigSize = force || entry.size >= MAX_32 || entry.compressedSize >= MAX_32;
  const bigOffset = force || entry.offset >= MAX_32;
  const extraValues = [...(bigSize ? [entry.size, entry.compressedSize] : []), ...(bigOffset ? [entry.offset] : [])];
  const extra = extraValues.length > 0 ? zip64Extra(extraValues) : Buffer.alloc(0);
  const version = extraValues.length > 0 || entry.zip64 ? 45 : 20;
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY_UNIX | version, 4);
  header.writeUInt16LE(version, 6);
  header.writeUInt16LE(entry.flags, 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(when.time, 12);
  header.writeUInt16LE(when.date, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(bigSize ? MAX_32 : entry.compressedSize, 20);
  header.writeUInt32LE(bigSize ? MAX_32 : entry.size, 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt16LE(extra.length, 30);
  header.writeUInt32LE((UNIX_FILE_MODE << 16) >>> 0, 38);
  header.writeUInt32LE(bigOffset ? MAX_32 : entry.offset, 42);
  return Buffer.concat([header, entry.name, extra]);
}

function endRecords(count: number, directoryOffset: number, directorySize: number, force: boolean): Buffer {
  const zip64 = force || count >= MAX_16 || directoryOffset >= MAX_32 || directorySize >= MAX_32;
  const parts: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(MADE_BY_UNIX | 45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(directorySize), 40);
    record.writeBigUInt64LE(BigInt(directoryOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8);
    locator.writeUInt32LE(1, 16);
    parts.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? MAX_16 : count, 8);
  end.writeUInt16LE(zip64 ? MAX_16 : count, 10);
  end.writeUInt32LE(zip64 ? MAX_32 : directorySize, 12);
  end.writeUInt32LE(zip64 ? MAX_32 : directoryOffset, 16);
  parts.push(end);
  return Buffer.concat(parts);
}

/**
 * Writes to `out`, honouring its back-pressure, and hands a pooled buffer back only from the write's
 * callback, when `out` no longer holds it (a socket has passed it to the kernel, a file to the disk).
 */
function createSink(out: Writable) {
  let failure: Error | undefined;
  const wakers = new Set<() => void>();
  const wakeAll = () => [...wakers].forEach((wake) => wake());
  const fail = (error: Error) => {
    failure ??= error;
    wakeAll();
  };
  out.on('error', fail);
  out.on('close', () => fail(new Error('the destination closed before the ZIP was complete')));

  /** Resolves when `ready()` holds, or rejects once `out` failed or closed. */
  function until(ready: () => boolean, event?: 'drain'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (failure) return done(() => reject(failure));
        if (ready()) done(resolve);
      };
      const done = (settle: () => void) => {
        wakers.delete(check);
        if (event) out.off(event, check);
        settle();
      };
      wakers.add(check);
      if (event) out.on(event, check);
      check();
    });
  }

  const free: Buffer[] = Array.from({ length: POOLED_CHUNKS }, () => Buffer.allocUnsafeSlow(READ_CHUNK));
  let offset = 0;
  return {
    get offset() {
      return offset;
    },
    /** A buffer to read into, waiting for one the destination has finished with. */
    async borrow(): Promise<Buffer> {
      await until(() => free.length > 0);
      return free.pop()!;
    },
    /** Writes `chunk`; `pooled` (what `chunk` was read into) returns to the pool once written. */
    async write(chunk: Buffer, pooled?: Buffer): Promise<void> {
      if (failure) throw failure;
      offset += chunk.length;
      const accepted = out.write(chunk, (error) => {
        if (pooled) free.push(pooled);
        if (error) fail(error);
        else wakeAll();
      });
      if (!accepted) await until(() => !out.writableNeedDrain, 'drain');
    },
    async end(): Promise<void> {
      if (failure) throw failure;
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    },
  };
}

type Sink = ReturnType<typeof createSink>;

/** Opens an entry's source, writes it (checking it is the size declared) and closes it; answers the CRC-32 when summed. */
async function writeSource(sink: Sink, entry: { path: string; open: () => Promise<Readable>; size: number }, sumCrc: boolean): Promise<number> {
  const source = await entry.open();
  try {
    return source instanceof FileReadable ? await writeFile(sink, entry, source, sumCrc) : await writeStream(sink, entry, source, sumCrc);
  } finally {
    source.destroy();
  }
}

/**
 * Streams one local file into the sink through pooled buffers. The next chunk is already being read
 * while this one is written, so a file that must come from the disk keeps the disk busy instead of
 * waiting on the socket between reads.
 */
async function writeFile(sink: Sink, entry: { path: string; size: number }, file: FileReadable, sumCrc: boolean): Promise<number> {
  const size = file.length;
  if (size !== entry.size) throw new Error(`${entry.path}: expected ${entry.size} bytes, the file has ${size}`);
  const readAt = async (position: number) => {
    const buffer = await sink.borrow();
    const wanted = Math.min(READ_CHUNK, size - position);
    const bytesRead = await file.readAt(buffer, wanted, position);
    // A regular file reads short only at its end: this one shrank after it was measured.
    if (bytesRead !== wanted) throw new Error(`${entry.path}: expected ${entry.size} bytes, read ${position + bytesRead}`);
    return { buffer, chunk: buffer.subarray(0, bytesRead) };
  };
  let crc = 0;
  let next = size > 0 ? readAt(0) : undefined;
  for (let position = 0; next; ) {
    const { buffer, chunk } = await next;
    position += chunk.length;
    next = position < size ? readAt(position) : undefined;
    // Settled later by the loop; until then a failure must not count as unhandled.
    next?.catch(() => {});
    if (sumCrc) crc = zlib.crc32(chunk, crc);
    await sink.write(chunk, buffer);
  }
  return crc;
}

/**
 * Passes a stream's chunks on as they come (an object store's response: its own buffers, read ahead by
 * the stream while the last chunk is written), counting them against the declared size.
 */
async function writeStream(sink: Sink, entry: { path: string; size: number }, source: Readable, sumCrc: boolean): Promise<number> {
  let crc = 0;
  let written = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    written += chunk.length;
    if (written > entry.size) throw new Error(`${entry.path}: expected ${entry.size} bytes, the source has more`);
    if (sumCrc) crc = zlib.crc32(chunk, crc);
    await sink.write(chunk);
  }
  if (written !== entry.size) throw new Error(`${entry.path}: expected ${entry.size} bytes, the source ended at ${written}`);
  return crc;
}

/**
 * Writes the ZIP of `entries` to `out` and ends it. Rejects (leaving `out` to the caller to destroy)
 * when a file is not as declared, a content promise fails, or `out` errors or closes early.
 */
export async function writeZip(entries: ZipEntry[], { mtime, forceZip64 = false }: ZipOptions, out: Writable): Promise<void> {
  // A Transform or PassThrough calls back while it still queues the very buffer for its reader, so a
  // pooled buffer reused then would corrupt the ZIP without an error. Sockets, HTTP responses and
  // files are done with a chunk when they call back.
  if (out instanceof Duplex && !(out instanceof Socket)) {
    throw new Error('writeZip needs a destination that is done with each chunk when it calls back (a response, socket or file), not a stream that passes chunks on');
  }
  const when = dosDateTime(mtime);
  const written: Written[] = [];
  const sink = createSink(out);

  for (const entry of entries) {
    const name = Buffer.from(entry.path, 'utf8');
    if ('open' in entry) {
      const zip64 = forceZip64 || entry.size >= MAX_32;
      const known = entry.crc32 !== undefined;
      const record: Written = {
        name,
        method: STORE,
        flags: known ? FLAG_UTF8 : FLAG_DATA_DESCRIPTOR | FLAG_UTF8,
        crc: entry.crc32 ?? 0,
        compressedSize: entry.size,
        size: entry.size,
        offset: sink.offset,
        zip64,
      };
      await sink.write(localHeader(record, when, known));
      const crc = await writeSource(sink, entry, !known);
      if (!known) {
        record.crc = crc;
        await sink.write(dataDescriptor(record));
      }
      written.push(record);
    } else {
      const content = await entry.content();
      const compressed = zlib.deflateRawSync(content);
      const record: Written = {
        name,
        method: DEFLATE,
        flags: FLAG_UTF8,
        crc: zlib.crc32(content),
        compressedSize: compressed.length,
        size: content.length,
        offset: sink.offset,
        zip64: forceZip64,
      };
      await sink.write(localHeader(record, when, true));
      await sink.write(compressed);
      written.push(record);
    }
  }

  const directoryOffset = sink.offset;
  const directory = Buffer.concat(written.map((record) => centralHeader(record, when, forceZip64)));
  await sink.write(directory);
  await sink.write(endRecords(written.length, directoryOffset, directory.length, forceZip64));
  await sink.end();
}
