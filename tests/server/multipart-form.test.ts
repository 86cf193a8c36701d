// The form reader on its own: every way a body can fall into socket reads, the limits, and the
// malformed bodies a hostile client sends. The upload, import and hostile suites drive it over real
// HTTP; here the request is a stream fed chunk by chunk, so the splits are exactly the ones named.
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/errors';
import { readForm, SMALL_FORM, type FormLimits } from '../../server/multipart-form';

const BOUNDARY = 'XyZ-boundary-42';
const LIMITS: FormLimits = { ...SMALL_FORM, files: 5, fileBytes: 64 * 1024 * 1024 };

type Sent = { field: string; value: string } | { file: string; filename: string; type?: string; bytes: Buffer };

function body(parts: Sent[], { preamble = '', epilogue = '' } = {}): Buffer {
  const pieces: Buffer[] = [Buffer.from(preamble)];
  for (const part of parts) {
    pieces.push(Buffer.from(`--${BOUNDARY}\r\n`));
    if ('field' in part) pieces.push(Buffer.from(`Content-Disposition: form-data; name="${part.field}"\r\n\r\n${part.value}\r\n`));
    else {
      pieces.push(Buffer.from(`Content-Disposition: form-data; name="${part.file}"; filename="${part.filename}"\r\n`));
      pieces.push(Buffer.from(`Content-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`));
      pieces.push(part.bytes, Buffer.from('\r\n'));
    }
  }
  pieces.push(Buffer.from(`--${BOUNDARY}--${epilogue}`));
  return Buffer.concat(pieces);
}

/** A request stand-in fed the given chunks one event-loop turn apart, as socket reads arrive. */
function request(chunks: Buffer[], { contentType = `multipart/form-data; boundary=${BOUNDARY}`, cutOff = false, stall = false } = {}) {
  const stream = new PassThrough({ highWaterMark: 1 }) as PassThrough & { headers: http.IncomingHttpHeaders; complete: boolean };
  stream.headers = { 'content-type': contentType };
  stream.complete = false;
  (async () => {
    for (const chunk of chunks) {
      if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (stall) return;
    if (cutOff) {
      stream.emit('aborted');
      stream.destroy();
    } else {
      stream.complete = true;
      stream.end();
    }
  })();
  return stream as unknown as http.IncomingMessage;
}

async function readAll(req: http.IncomingMessage, limits = LIMITS): Promise<Sent[]> {
  const got: Sent[] = [];
  for await (const part of readForm(req, limits)) {
    if (part.kind === 'field') got.push({ field: part.name, value: part.value });
    else {
      const chunks: Buffer[] = [];
      for await (const chunk of part.body) chunks.push(chunk as Buffer);
      got.push({ file: part.name, filename: part.filename, type: part.mimeType, bytes: Buffer.concat(chunks) });
    }
  }
  return got;
}

async function refusal(req: http.IncomingMessage, limits = LIMITS): Promise<{ status: number; code: string }> {
  try {
    await readAll(req, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return { status: (error as AppError).statusCode, code: (error as AppError).code };
  }
  throw new Error('the form was read without a refusal');
}

const tricky = Buffer.concat([
  Buffer.from('\r\n--XyZ-bound'),
  Buffer.from([0, 13, 10, 13, 13, 10, 45, 45]),
  Buffer.from('\r\n--XyZ-boundary-4'),
  Buffer.from('\r\r\n-'),
]);
const sample: Sent[] = [
  { field: 'capturedAt', value: '2026-05-01T05:03:12Z' },
  { file: 'file', filename: 'a.bin', bytes: tricky },
  { field: 'caption', value: '포장 사진\r\n두 번째 줄' },
  { file: 'file', filename: 'empty.bin', bytes: Buffer.alloc(0) },
  { file: 'file', filename: 'tail.bin', bytes: Buffer.from('ends with a CR\r') },
];
const expected = sample.map((part) => ('file' in part ? { ...part, type: 'application/octet-stream' } : part));

describe('reading a multipart form', () => {
  it('reads the same parts however the body falls into reads: split once at every byte', async () => {
    const whole = body(sample, { preamble: 'a preamble line\r\n', epilogue: '\r\nan epilogue' });
    for (let at = 0; at <= whole.length; at++) {
      expect(await readAll(request([whole.subarray(0, at), whole.subarray(at)]))).toEqual(expected);
    }
  });

  it('reads the same parts one byte at a time, and split at every pair of points near the boundaries', async () => {
    const whole = body(sample);
    expect(await readAll(request([...whole].map((byte) => Buffer.from([byte]))))).toEqual(expected);
    const fileStart = whole.indexOf(tricky);
    for (let a = fileStart - 4; a < fileStart + tricky.length + 8; a++) {
      for (let b = a + 1; b < a + 24; b++) {
        expect(await readAll(request([whole.subarray(0, a), whole.subarray(a, b), whole.subarray(b)]))).toEqual(expected);
      }
    }
  });

  it('hands a large file over as slices of the reads, its bytes exact, with the reading paused while the reader lags', async () => {
    const big = Buffer.alloc(9 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    const whole = body([{ field: 'caption', value: 'x' }, { file: 'file', filename: 'big.mp4', bytes: big }]);
    const chunks: Buffer[] = [];
    for (let at = 0; at < whole.length; at += 65536) chunks.push(whole.subarray(at, at + 65536));
    const req = request(chunks);
    let pausedWhileLagging = false;
    req.on('pause', () => (pausedWhileLagging = true));
    const hash = createHash('sha256');
    for await (const part of readForm(req, LIMITS)) {
      if (part.kind !== 'file') continue;
      for await (const chunk of part.body) {
        hash.update(chunk as Buffer);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    expect(hash.digest('hex')).toBe(createHash('sha256').update(big).digest('hex'));
    expect(pausedWhileLagging).toBe(true);
  });

  it('reads UTF-8 names as browsers send them, and RFC 5987 names', async () => {
    const whole = Buffer.concat([
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="포장 사진.jpg"\r\nContent-Type: image/jpeg\r\n\r\nA\r\n`),
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="x.jpg"; filename*=UTF-8''%E5%8C%85%E8%A3%9D.jpg\r\n\r\nB\r\n`),
      Buffer.from(`--${BOUNDARY}--\r\n`),
    ]);
    const got = await readAll(request([whole]));
    expect(got.map((part) => ('file' in part ? [part.filename, part.type, part.bytes.toString()] : []))).toEqual([
      ['포장 사진.jpg', 'image/jpeg', 'A'],
      ['包裝.jpg', 'application/octet-stream', 'B'],
    ]);
  });

  it('reads file names as loosely as clients write them: control characters, escapes, no quotes', async () => {
    const part = (disposition: string) => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\nv\r\n`);
    const whole = Buffer.concat([
      part('form-data; name="file"; filename="a\u0000b.png"'),
      part('form-data; name="file"; filename="say \\"hi\\".png"'),
      part('form-data; name=file; filename=plain.png'),
      part('form-data; name="file"; filename="first.png"; filename="second.png"'),
      Buffer.from(`--${BOUNDARY}--`),
    ]);
    const got = await readAll(request([whole]));
    expect(got.map((sent) => ('file' in sent ? sent.filename : ''))).toEqual(['a\u0000b.png', 'say "hi".png', 'plain.png', 'first.png']);
  });

  it('takes a quoted boundary', async () => {
    const whole = body([{ field: 'a', value: 'b' }]);
    expect(await readAll(request([whole], { contentType: `multipart/form-data; charset=utf-8; boundary="${BOUNDARY}"` }))).toEqual([{ field: 'a', value: 'b' }]);
  });

  it('refuses each limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const tooLarge = { status: 413, code: 'PAYLOAD_TOO_LARGE' };
    const file = (bytes: number): Sent => ({ file: 'file', filename: 'f', bytes: Buffer.alloc(bytes, 1) });
    expect(await refusal(request([body([file(1001)])]), { ...LIMITS, fileBytes: 1000 })).toEqual(tooLarge);
    expect(await refusal(request([body([file(1), file(1)])]), { ...LIMITS, files: 1 })).toEqual(tooLarge);
    expect(await refusal(request([body([{ field: 'a', value: 'x'.repeat(10_001) }])]))).toEqual(tooLarge);
    expect(await refusal(request([body(Array.from({ length: 21 }, () => ({ field: 'a', value: '' })))]))).toEqual(tooLarge);
    expect(await refusal(request([body(Array.from({ length: 3 }, () => ({ field: 'a', value: '' })))]), { ...LIMITS, parts: 2 })).toEqual(tooLarge);
    const manyHeaders = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n${'X-A: b\r\n'.repeat(100)}\r\nv\r\n--${BOUNDARY}--`;
    expect(await refusal(request([Buffer.from(manyHeaders)]))).toEqual(tooLarge);
    const longHeader = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\nX-A: ${'b'.repeat(20_000)}\r\n\r\nv\r\n--${BOUNDARY}--`;
    expect(await refusal(request([Buffer.from(longHeader)]))).toEqual(tooLarge);
  });

  it('refuses malformed and cut-off bodies with 400, and a form without a boundary with 415', async () => {
    const malformed = { status: 400, code: 'VALIDATION_FAILED' };
    const whole = body(sample);
    expect(await refusal(request([whole.subarray(0, whole.length - 5)]))).toEqual(malformed);
    expect(await refusal(request([whole.subarray(0, 200)], { cutOff: true }))).toEqual(malformed);
    expect(await refusal(request([Buffer.from('x'.repeat(40_000))]))).toEqual(malformed);
    expect(await refusal(request([Buffer.from(`--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nv\r\n--${BOUNDARY}--`)]))).toEqual(malformed);
    expect(await refusal(request([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: attachment; filename="a"\r\n\r\nv\r\n--${BOUNDARY}--`)]))).toEqual(malformed);
    expect(await refusal(request([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; filename="a"\r\n\r\nv\r\n--${BOUNDARY}--`)]))).toEqual(malformed);
    expect(await refusal(request([Buffer.from(`--${BOUNDARY}\r\nno colon here\r\n\r\nv\r\n--${BOUNDARY}--`)]))).toEqual(malformed);
    expect(await refusal(request([Buffer.from(`--${BOUNDARY}Xgarbage\r\n`)]))).toEqual(malformed);
    expect(await refusal(request([Buffer.from('')]))).toEqual(malformed);
    // The closing boundary arrived but the body was cut off after it: still cut off.
    expect(await refusal(request([body(sample, { epilogue: '\r\n' })], { cutOff: true }))).toEqual(malformed);
    expect(await refusal(request([body(sample, { epilogue: 'x'.repeat(17_000) })]))).toEqual(malformed);
    for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=', `multipart/form-data; boundary=${'b'.repeat(71)}`, 'text/plain']) {
      expect(await refusal(request([body(sample)], { contentType }))).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
  });

  it('counts a preamble once however it falls into reads, and takes a boundary of Latin-1 bytes', async () => {
    const whole = body(sample, { preamble: 'p'.repeat(1000) + '\r\n' });
    expect(await readAll(request([...whole].map((byte) => Buffer.from([byte]))))).toEqual(expected);
    const latin = 'b\u00e9-42';
    const form = Buffer.from(`--${latin}\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--${latin}--`, 'latin1');
    expect(await readAll(request([form], { contentType: `multipart/form-data; boundary=${latin}` }))).toEqual([{ field: 'a', value: 'v' }]);
  });

  it('cuts off a body that goes quiet, one whose connection closed before it was read, and one closed after its last byte was received but not read', async () => {
    const malformed = { status: 400, code: 'VALIDATION_FAILED' };
    const whole = body(sample);
    expect(await refusal(request([whole.subarray(0, 100)], { stall: true }), { ...LIMITS, idleMs: 200 })).toEqual(malformed);

    const gone = request([], { stall: true });
    (gone as unknown as PassThrough).destroy();
    expect(await refusal(gone)).toEqual(malformed);

    // The whole body arrived (Node marks the request complete), the reader held reading back, and the
    // connection closed: the reads not yet handed over are lost, so the form is not whole.
    const big = Buffer.alloc(4 * 1024 * 1024, 3);
    const form = body([{ file: 'file', filename: 'f', bytes: big }]);
    const chunks: Buffer[] = [];
    for (let at = 0; at < form.length; at += 65536) chunks.push(form.subarray(at, at + 65536));
    const req = request(chunks, { stall: true });
    const reading = (async () => {
      for await (const part of readForm(req, LIMITS)) {
        if (part.kind !== 'file') continue;
        for await (const _chunk of part.body) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    (req as unknown as { complete: boolean }).complete = true;
    (req as unknown as PassThrough).destroy();
    const error = await reading.then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).statusCode).toBe(400);
  });

  it('reads no further ahead than one file part nobody has taken yet', async () => {
    const files: Sent[] = [{ file: 'file', filename: 'first', bytes: Buffer.alloc(1, 1) }];
    for (let i = 0; i < 19; i++) files.push({ file: 'file', filename: `f${i}`, bytes: Buffer.alloc(15 * 65536, i) });
    const whole = body(files);
    const chunks: Buffer[] = [];
    for (let at = 0; at < whole.length; at += 65536) chunks.push(whole.subarray(at, at + 65536));
    const req = request(chunks) as unknown as PassThrough;
    let delivered = 0;
    const form = readForm(req as unknown as http.IncomingMessage, LIMITS);
    // Beside the reader's own listener: counts what the request handed over, without changing its flow.
    req.on('data', (chunk: Buffer) => (delivered += chunk.length));
    const first = await form.next();
    expect(first.value?.kind).toBe('file');
    // The route is busy with something else for a while before it reads anything.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered).toBeLessThan(3 * 16 * 65536);
    await form.return?.();
  });

  it('drops the unread rest of a file when the next part is asked for, and stops reading when the loop is left', async () => {
    const whole = body([{ file: 'file', filename: 'a', bytes: Buffer.alloc(3 * 1024 * 1024, 7) }, { field: 'after', value: 'yes' }]);
    const chunks: Buffer[] = [];
    for (let at = 0; at < whole.length; at += 65536) chunks.push(whole.subarray(at, at + 65536));
    const names: string[] = [];
    for await (const part of readForm(request(chunks), LIMITS)) names.push(part.name);
    expect(names).toEqual(['file', 'after']);

    const req = request(chunks);
    for await (const part of readForm(req, LIMITS)) {
      expect(part.kind).toBe('file');
      break;
    }
    expect((req as unknown as PassThrough).isPaused()).toBe(true);
  });
});
