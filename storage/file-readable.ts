// A local file (or a byte range of one) as a Readable that can also be read into the caller's own
// buffers. Stores hand out Readables so no path leaves them; a reader that keeps a pool of buffers (the
// ZIP writer) reads through readAt instead, and a file's bytes then cost no allocation per chunk.
import fsp, { type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

const CHUNK = 1 << 20;

export class FileReadable extends Readable {
  private position: number;

  private constructor(
    private readonly handle: FileHandle,
    private readonly start: number,
    /** Exclusive. */
    private readonly end: number,
  ) {
    super({ highWaterMark: CHUNK });
    this.position = start;
  }

  /** Opens `file` now, so a missing file rejects here rather than as a stream error later; `range.end` is inclusive. */
  static async open(file: string, range?: { start: number; end: number }): Promise<FileReadable> {
    const handle = await fsp.open(file, 'r');
    try {
      const { size } = await handle.stat();
      const start = Math.min(range?.start ?? 0, size);
      const end = Math.max(start, Math.min(range ? range.end + 1 : size, size));
      return new FileReadable(handle, start, end);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** How many bytes the file (or range) held when it was opened. */
  get length(): number {
    return this.end - this.start;
  }

  /** Reads up to `length` bytes from `offset` (within the range) into `buffer`; for readers that bring their own buffers. */
  async readAt(buffer: Buffer, length: number, offset: number): Promise<number> {
    const { bytesRead } = await this.handle.read(buffer, 0, Math.min(length, Math.max(0, this.length - offset)), this.start + offset);
    return bytesRead;
  }

  override _read(size: number): void {
    const wanted = Math.min(Math.max(size, CHUNK), this.end - this.position);
    if (wanted <= 0) {
      this.push(null);
      return;
    }
    const buffer = Buffer.allocUnsafeSlow(wanted);
    this.handle.read(buffer, 0, wanted, this.position).then(
      ({ bytesRead }) => {
        // A file that shrank after it was opened ends where its bytes end.
        if (bytesRead === 0) return void this.push(null);
        this.position += bytesRead;
        this.push(buffer.subarray(0, bytesRead));
      },
      (error: Error) => this.destroy(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.handle.close().then(
      () => callback(error),
      (closeError: Error) => callback(error ?? closeError),
    );
  }
}
