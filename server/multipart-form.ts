// Reads a multipart/form-data request body part by part, straight from the Node request.
//
// Written here rather than taken from busboy (through @fastify/multipart), on measurement: busboy
// searches for the boundary byte by byte in JavaScript and passes every chunk through four streams
// (parser, part, file stream, our reader), which cost a 1 GiB upload about a third more server CPU
// than receiving, hashing and writing the bytes alone, and a fifth of the speed (BENCHMARKS.md,
// Ingest). Here the boundary is found with Buffer.indexOf (native), and each socket read reaches the
// file's reader as a slice of itself, through one Readable whose backpressure pauses the request.
// The framing follows RFC 2046 and 7578; part headers are read as leniently as browsers write them.
import type http from 'node:http';
import { Readable } from 'node:stream';
import { AppError } from './errors';

export interface FormLimits {
  /** Bytes of one file part; more is refused with 413. */
  fileBytes: number;
  files: number;
  fields: number;
  /** Bytes of one text field's value. */
  fieldBytes: number;
  parts: number;
  /** Header lines of one part. */
  headerPairs: number;
  /** A body that sends nothing for this long (reading not held back by its reader) is cut off; default 2 minutes. */
  idleMs?: number;
}

/** Limits for forms that carry no more than a few named fields beside their files. */
export const SMALL_FORM: Omit<FormLimits, 'fileBytes' | 'files'> = { fields: 20, fieldBytes: 10_000, parts: 50, headerPairs: 100 };

export type FormPart =
  | { kind: 'field'; name: string; value: string }
  | { kind: 'file'; name: string; filename: string; mimeType: string; body: Readable };

/** A part's header block, and what comes before the first boundary, are never longer than this. */
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_PREAMBLE_BYTES = 16 * 1024;
/** What may follow the closing boundary; it is read (the answer waits for the whole body) and dropped. */
const MAX_EPILOGUE_BYTES = 16 * 1024;
/**
 * Socket reads (64 KiB at most) a file part's reader may hold before reading the request pauses. Counted
 * in reads, as an object-mode stream: a byte stream's async iterator hands out everything it holds
 * joined into one new Buffer, a copy that cost a tenth of a CPU-second per GiB.
 */
const FILE_BUFFER_READS = 16;
const CR = 0x0d;
const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
const EMPTY = Buffer.alloc(0);

/** RFC 2046: 1 to 70 characters, quoted or not. */
const BOUNDARY = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))(?:[\s;]|$)/i;

export function isMultipartForm(request: http.IncomingMessage): boolean {
  return /^multipart\/form-data\s*(;|$)/i.test(request.headers['content-type'] ?? '');
}

/**
 * A Content-Disposition value's type and parameters, first of each name kept. Lenient where browsers
 * and HTTP clients are loose: raw UTF-8 and even control characters inside quotes (a file name is only
 * ever a label here, cleaned where it is stored), backslash escapes, no quotes at all.
 */
function readDisposition(header: string): { type: string; params: Record<string, string> } {
  const semi = header.indexOf(';');
  const type = (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
  const params: Record<string, string> = {};
  let at = semi < 0 ? header.length : semi + 1;
  while (at < header.length) {
    const equals = header.indexOf('=', at);
    if (equals < 0) break;
    const name = header.slice(at, equals).trim().toLowerCase();
    at = equals + 1;
    while (header[at] === ' ' || header[at] === '\t') at++;
    let value = '';
    if (header[at] === '"') {
      for (at++; at < header.length && header[at] !== '"'; at++) {
        if (header[at] === '\\' && at + 1 < header.length) at++;
        value += header[at];
      }
    }
    const next = header.indexOf(';', at);
    if (value === '' && header[at] !== '"') value = header.slice(at, next < 0 ? header.length : next).trim();
    at = next < 0 ? header.length : next + 1;
    if (name !== '' && !(name in params)) params[name] = value;
  }
  return { type, params };
}

/** RFC 5987 `charset'language'percent-encoded` (filename*), or undefined when it cannot be read. */
function extendedValue(value: string): string | undefined {
  const match = /^(utf-8|iso-8859-1)'[^']*'(.*)$/i.exec(value);
  if (!match) return undefined;
  const bytes = Buffer.from(match[2]!.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  return bytes.toString(match[1]!.toLowerCase() === 'utf-8' ? 'utf8' : 'latin1');
}

const malformed = (why: string) => new AppError('VALIDATION_FAILED', `The form is malformed (${why}); nothing from it was saved.`);
const cutOff = () => new AppError('VALIDATION_FAILED', 'The upload was cut off or malformed; nothing from it was saved. Send it again.');
const tooLarge = (what: string) => new AppError('PAYLOAD_TOO_LARGE', what);
const size = (bytes: number) => (bytes >= 2 ** 20 ? `${Math.round(bytes / 2 ** 20)} MB` : `${bytes} bytes`);

/**
 * The parts of a multipart/form-data body, in order. A file part's `body` must be read (or left, by
 * asking for the next part, which drops what it did not read) before later parts arrive. Leaving
 * the loop early stops reading the request, which the route then answers with `Connection: close`.
 * Errors (a malformed body, a limit, a cut-off connection) are AppErrors with 4xx codes, thrown by
 * the iteration and by the file body being read.
 */
export function readForm(request: http.IncomingMessage, limits: FormLimits): AsyncIterableIterator<FormPart> {
  const match = BOUNDARY.exec(request.headers['content-type'] ?? '');
  if (!isMultipartForm(request) || !match) {
    const error = new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the form as multipart/form-data with a boundary.');
    return (async function* refuse(): AsyncIterableIterator<FormPart> {
      throw error;
    })();
  }
  /** Every boundary after the first is preceded by CRLF; the first may open the body, hence the CRLF put before it. */
  // Latin-1, as Node reads header bytes: the boundary's bytes in the body are the header's bytes.
  const delimiter = Buffer.from(`\r\n--${match[1] ?? match[2]}`, 'latin1');

  type State = 'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'done';
  let state: State = 'preamble';
  /** Bytes held over between socket reads: the start of a delimiter, of a header block, of the preamble. */
  let carry: Buffer = CRLF;
  let preambleBytes = 0;
  let epilogueBytes = 0;
  /** The request's body has ended: only then is the form whole (a body cut off after its closing boundary is still cut off). */
  let ended = false;
  const counts = { parts: 0, files: 0, fields: 0 };
  let field: { name: string; chunks: Buffer[]; bytes: number } | undefined;
  let file: { body: Readable; bytes: number } | undefined;
  /** The file's reader asked for more (its read()) since the last chunk was pushed to it. */
  let readAsked = false;

  const ready: FormPart[] = [];
  let waiting: { resolve: (result: IteratorResult<FormPart>) => void; reject: (error: unknown) => void } | undefined;
  let failure: unknown;
  let stopped = false;
  /** The file part the reader was handed last: asking for the next part drops what it left unread. */
  let handedFile: Readable | undefined;

  const settle = () => {
    if (!waiting) return;
    const { resolve, reject } = waiting;
    if (ready.length > 0) {
      waiting = undefined;
      const part = ready.shift()!;
      if (part.kind === 'file') {
        handedFile = part.body;
        resumeReading();
      }
      resolve({ value: part, done: false });
    } else if (failure) {
      waiting = undefined;
      reject(failure);
    } else if (state === 'done' && ended) {
      waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  };

  function resumeReading(): void {
    if (!stopped && !failure && !ended) request.resume();
  }

  function detach(): void {
    request.off('data', onData).off('end', onEnd).off('aborted', onCut).off('close', onCut);
    clearTimeout(idle);
  }

  function fail(error: unknown): void {
    if (failure || stopped) return;
    failure = error;
    detach();
    request.pause();
    if (file && !file.body.destroyed) file.body.destroy(error as Error);
    file = undefined;
    settle();
  }

  function startPart(headerBlock: Buffer): void {
    if (++counts.parts > limits.parts) throw tooLarge(`A form holds at most ${limits.parts} parts.`);
    // Header values are bytes; browsers send names and file names as raw UTF-8 inside the quotes.
    const lines = headerBlock.toString('latin1').split('\r\n').filter((line) => line.length > 0);
    if (lines.length > limits.headerPairs) throw tooLarge(`A form part has at most ${limits.headerPairs} header lines.`);
    let disposition: string | undefined;
    let mimeType: string | undefined;
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformed('a part header without a name');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-disposition') disposition = value;
      else if (name === 'content-type') mimeType = value.split(';')[0]!.trim().toLowerCase();
    }
    if (disposition === undefined) throw malformed('a part without Content-Disposition');
    const { type, params } = readDisposition(disposition);
    const utf8 = (value: string) => Buffer.from(value, 'latin1').toString('utf8');
    if (type !== 'form-data' || params.name === undefined) throw malformed('a part that is not a named form-data part');
    const name = utf8(params.name);
    if (params.filename === undefined && params['filename*'] === undefined) {
      if (++counts.fields > limits.fields) throw tooLarge(`A form holds at most ${limits.fields} fields.`);
      field = { name, chunks: [], bytes: 0 };
      return;
    }
    if (++counts.files > limits.files) throw tooLarge(`A form holds at most ${limits.files} files.`);
    const filename = (params['filename*'] && extendedValue(params['filename*'])) ?? utf8(params.filename ?? '');
    const body = new Readable({
      objectMode: true,
      highWaterMark: FILE_BUFFER_READS,
      // Readable also asks an untaken body for more by itself (to fill its buffer): only a reader's
      // asking resumes the request, or a part nobody took would read the whole form ahead.
      read: () => {
        readAsked = true;
        if (body === handedFile) resumeReading();
      },
    });
    // A reader that gives up (destroys the body) stops the form with it.
    body.once('close', () => {
      if (!body.readableEnded && file?.body === body) fail(cutOff());
    });
    // Its errors reach the reader through its iteration or pipeline; this keeps one raised before the
    // reader is handed the part from being an uncaught 'error' event.
    body.on('error', () => undefined);
    file = { body, bytes: 0 };
    // A file part nobody has taken yet holds its reads; a second one waits on the socket instead.
    if (ready.some((part) => part.kind === 'file')) request.pause();
    ready.push({ kind: 'file', name, filename, mimeType: mimeType ?? 'application/octet-stream', body });
  }

  function partData(data: Buffer): void {
    if (data.length === 0) return;
    if (field) {
      field.bytes += data.length;
      if (field.bytes > limits.fieldBytes) throw tooLarge(`A form field holds at most ${limits.fieldBytes} bytes.`);
      field.chunks.push(Buffer.from(data));
    } else if (file) {
      file.bytes += data.length;
      if (file.bytes > limits.fileBytes) throw tooLarge(`The file is larger than ${size(limits.fileBytes)}.`);
      // The reader may take a chunk and ask for more inside push(): then reading goes on even though
      // push() reports the buffer full, or the request would stay paused with nobody left to resume it.
      readAsked = false;
      if (!file.body.push(data) && !readAsked) request.pause();
    }
  }

  function endPart(): void {
    if (field) ready.push({ kind: 'field', name: field.name, value: Buffer.concat(field.chunks).toString('utf8') });
    if (file) {
      file.body.push(null);
      // A reader that held reading back is done with it: the parts after it, and the body's end, must
      // come. A part not yet taken keeps it held until the reader asks for it (next()).
      if (file.body === handedFile) resumeReading();
    }
    field = undefined;
    file = undefined;
  }

  /** Body bytes up to the next delimiter, holding back a tail that may be the delimiter's start. */
  function bodyBytes(chunk: Buffer): Buffer | undefined {
    if (carry.length > 0) {
      // carry is a proper prefix of the delimiter, and no delimiter can start inside it after its CR.
      const need = delimiter.length - carry.length;
      const seen = chunk.subarray(0, need);
      if (seen.equals(delimiter.subarray(carry.length, carry.length + seen.length))) {
        if (seen.length < need) {
          carry = Buffer.concat([carry, seen]);
          return undefined;
        }
        carry = EMPTY;
        endPart();
        state = 'afterDelimiter';
        return chunk.subarray(need);
      }
      partData(carry);
      carry = EMPTY;
    }
    const at = chunk.indexOf(delimiter);
    if (at >= 0) {
      partData(chunk.subarray(0, at));
      endPart();
      state = 'afterDelimiter';
      return chunk.subarray(at + delimiter.length);
    }
    // Hold back the longest tail that could open a delimiter completed by the next read.
    for (let cr = chunk.indexOf(CR, Math.max(0, chunk.length - delimiter.length + 1)); cr >= 0; cr = chunk.indexOf(CR, cr + 1)) {
      if (chunk.subarray(cr).equals(delimiter.subarray(0, chunk.length - cr))) {
        partData(chunk.subarray(0, cr));
        carry = Buffer.from(chunk.subarray(cr));
        return undefined;
      }
    }
    partData(chunk);
    return undefined;
  }

  /** Runs one socket read through the states; what a state cannot finish yet waits in `carry`. */
  function parse(chunk: Buffer): void {
    if (state === 'done') return dropEpilogue(chunk.length);
    let rest: Buffer | undefined = chunk;
    while (rest && rest.length > 0 && state !== 'done') {
      if (state === 'body') {
        rest = bodyBytes(rest);
        continue;
      }
      const carried = carry.length;
      const buffer: Buffer = carried > 0 ? Buffer.concat([carry, rest]) : rest;
      carry = EMPTY;
      rest = undefined;
      if (state === 'preamble') {
        const at = buffer.indexOf(delimiter);
        if (at < 0) {
          preambleBytes += buffer.length - carried;
          if (preambleBytes > MAX_PREAMBLE_BYTES) throw malformed('no boundary where the form should start');
          carry = Buffer.from(buffer.subarray(Math.max(0, buffer.length - delimiter.length + 1)));
          continue;
        }
        state = 'afterDelimiter';
        rest = buffer.subarray(at + delimiter.length);
      } else if (state === 'afterDelimiter') {
        // "--" closes the form; otherwise optional spaces and CRLF open the next part's headers.
        let at = 0;
        while (at < buffer.length && at < 256 && (buffer[at] === 0x20 || buffer[at] === 0x09)) at++;
        if (buffer.length - at < 2) {
          if (at >= 256) throw malformed('spaces after a boundary');
          carry = Buffer.from(buffer);
          continue;
        }
        if (at === 0 && buffer[0] === 0x2d && buffer[1] === 0x2d) {
          state = 'done';
          dropEpilogue(buffer.length - 2);
          continue;
        }
        if (buffer[at] !== CR || buffer[at + 1] !== 0x0a) throw malformed('a boundary not followed by a line break');
        state = 'headers';
        rest = buffer.subarray(at + 2);
      } else if (state === 'headers') {
        // An empty header block is a lone CRLF; otherwise the block ends at the first blank line.
        const end = buffer[0] === CR && buffer[1] === 0x0a ? 0 : buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (buffer.length > MAX_HEADER_BYTES) throw tooLarge('A form part’s headers are longer than 16 KB.');
          carry = Buffer.from(buffer);
          continue;
        }
        if (end > MAX_HEADER_BYTES) throw tooLarge('A form part’s headers are longer than 16 KB.');
        startPart(buffer.subarray(0, end));
        state = 'body';
        rest = buffer.subarray(end === 0 ? 2 : end + HEADER_END.length);
      }
    }
  }

  function dropEpilogue(bytes: number): void {
    epilogueBytes += bytes;
    if (epilogueBytes > MAX_EPILOGUE_BYTES) throw malformed('more than 16 KB after the closing boundary');
  }

  function onData(chunk: Buffer): void {
    idle.refresh();
    try {
      parse(chunk);
    } catch (error) {
      fail(error);
      return;
    }
    settle();
  }
  function onEnd(): void {
    if (state !== 'done') return fail(cutOff());
    ended = true;
    detach();
    settle();
  }
  // Not request.complete: Node sets it once its parser has seen the last byte, while reads a paused
  // request had not handed over yet are dropped when the connection then closes.
  function onCut(): void {
    if (!ended) fail(cutOff());
  }
  function onIdle(): void {
    if (request.isPaused()) idle.refresh();
    else fail(cutOff());
  }

  const idle = setTimeout(onIdle, limits.idleMs ?? 120_000).unref();
  request.on('data', onData).once('end', onEnd).once('aborted', onCut).once('close', onCut);
  // A client that went away while the route was busy before reading (its 'close' already past).
  if (request.destroyed || request.readableAborted || request.readableEnded) fail(cutOff());
  else request.resume();

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      // The last file's unread rest is dropped so the parts after it can arrive.
      if (handedFile && !handedFile.readableEnded && !handedFile.destroyed) handedFile.resume();
      // A part waiting to be taken may have held reading back (startPart).
      resumeReading();
      return new Promise<IteratorResult<FormPart>>((resolve, reject) => {
        waiting = { resolve, reject };
        settle();
      });
    },
    async return() {
      // Left early (the route refused a part): stop reading; the route answers with Connection: close.
      if (!stopped) {
        stopped = true;
        detach();
        request.pause();
        if (file && !file.body.destroyed) file.body.destroy();
        file = undefined;
      }
      return { value: undefined, done: true };
    },
  };
}
