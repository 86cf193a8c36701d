// Hostile and unlucky multipart uploads: a reused Idempotency-Key, a capture finished mid-upload,
// files cut short after valid magic bytes, lying Content-Lengths and odd forms. Each answers 4xx with a
// stable code and leaves nothing behind in staging/ or originals/.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, listFiles, setUpShop, startServer, tempDir, uploadFiles, type TestServer } from '../helpers/server';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));
const cut = (bytes: Uint8Array, length: number) => new Uint8Array(bytes.subarray(0, length));

/** A real PNG no other test uploads, so its original is told apart from everything else on disk. */
async function uniquePng(seed: number, side = 64): Promise<Uint8Array<ArrayBuffer>> {
  const png = await sharp({ create: { width: side, height: side, channels: 3, background: { r: seed % 256, g: (seed >> 8) % 256, b: 77 }, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .png()
    .toBuffer();
  return new Uint8Array(png);
}

interface RawResponse {
  status: number;
  body: string;
}

/**
 * Speaks HTTP/1.1 by hand, for what fetch will not send: a lying Content-Length, a body sent in stages.
 * Settles on the first whole response, or when the connection closes (status 0 if nothing came).
 */
function rawRequest(server: TestServer, head: string, stages: { write: Buffer; thenWait?: () => Promise<void> }[], opts: { end?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
  const url = new URL(server.url);
  return new Promise((resolve) => {
    let received = '';
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      resolve({ status, body: received.slice(received.indexOf('\r\n\r\n') + 4) });
      socket.destroy();
    };
    const complete = () => {
      const headEnd = received.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(received.slice(0, headEnd))?.[1];
      return headEnd >= 0 && length !== undefined && received.length >= headEnd + 4 + Number(length);
    };
    const socket = net.connect(Number(url.port), url.hostname, async () => {
      socket.write(head);
      for (const stage of stages) {
        if (socket.destroyed) break;
        socket.write(stage.write);
        await stage.thenWait?.();
      }
      if (opts.end) socket.end();
    });
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (complete()) finish();
    });
    const timer = setTimeout(() => socket.destroy(), opts.timeoutMs ?? 10_000);
    socket.on('close', () => {
      clearTimeout(timer);
      finish();
    });
    socket.on('error', () => {});
  });
}

const boundary = 'packtrail-hardening';
const filePart = (filename: string, bytes: Uint8Array, type = 'application/octet-stream') =>
  Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    Buffer.from(bytes),
    Buffer.from('\r\n'),
  ]);
const closing = Buffer.from(`--${boundary}--\r\n`);

describe('multipart uploads under hostile and unlucky conditions', () => {
  let server: TestServer;
  let token: string;
  let seed = 1;
  const newCapture = async () =>
    (await (await server.request('POST', '/api/v1/captures', { token, json: { orderId: `HARD-${Math.random().toString(36).slice(2)}`, kind: 'packing' } })).json()).id as string;
  const mediaOf = async (captureId: string) =>
    (await (await server.request('GET', `/api/v1/captures/${captureId}`, { token })).json()).media as { id: string; sha256: string }[];
  const originals = () => listFiles(path.join(server.dataDir, 'originals'));
  const staging = () => listFiles(path.join(server.dataDir, 'staging'));
  const requestHead = (captureId: string, contentLength: number, extra = '') =>
    `POST /api/v1/captures/${captureId}/media HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n${extra}` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${contentLength}\r\n\r\n`;

  beforeAll(async () => {
    // The data folder sits alone in a fresh folder, so a file written beside it ("../x") would show.
    server = await startServer({}, { dataDir: path.join(tempDir(), 'data') });
    token = (await (await setUpShop(server)).deviceToken()).token;
  });
  afterAll(() => server.close());

  describe('Idempotency-Key', () => {
    it('refuses a key reused for a different file with 409 IDEMPOTENCY_KEY_REUSED and keeps nothing of the second file', async () => {
      const captureId = await newCapture();
      const headers = { 'idempotency-key': 'reuse-1' };
      const first = await uploadFiles(server, token, captureId, [{ name: 'a.png', bytes: await uniquePng(seed++) }], {}, headers);
      expect(first.status).toBe(201);
      const [firstMedia] = (await first.json()).media;
      const before = originals();

      const other = await uniquePng(seed++);
      const reused = await uploadFiles(server, token, captureId, [{ name: 'a.png', bytes: other }], {}, headers);
      expect(reused.status).toBe(409);
      expect((await reused.json()).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await mediaOf(captureId)).map((m) => m.id)).toEqual([firstMedia.id]);
      expect(originals()).toEqual(before);
      expect(originals().some((file) => file.endsWith(sha256(other)))).toBe(false);
      expect(staging()).toEqual([]);
    });

    it('still replays the first answer to a retry with the same bytes, even after the capture was finished', async () => {
      const captureId = await newCapture();
      const headers = { 'idempotency-key': 'retry-1' };
      const bytes = await uniquePng(seed++);
      const first = await (await uploadFiles(server, token, captureId, [{ name: 'a.png', bytes }], { caption: 'label' }, headers)).json();
      await server.request('POST', `/api/v1/captures/${captureId}/finish`, { token });
      const retry = await uploadFiles(server, token, captureId, [{ name: 'a.png', bytes }], { caption: 'label' }, headers);
      expect(retry.status).toBe(201);
      expect(await retry.json()).toEqual(first);
      expect(staging()).toEqual([]);
    });

    it('refuses a reused key when the same file comes with another caption, more files, or for another capture', async () => {
      const captureId = await newCapture();
      const headers = { 'idempotency-key': 'reuse-2' };
      const bytes = await uniquePng(seed++);
      expect((await uploadFiles(server, token, captureId, [{ name: 'a.png', bytes }], { caption: 'first' }, headers)).status).toBe(201);

      const recaptioned = await uploadFiles(server, token, captureId, [{ name: 'a.png', bytes }], { caption: 'second' }, headers);
      expect(recaptioned.status).toBe(409);
      const more = await uploadFiles(server, token, captureId, [{ name: 'a.png', bytes }, { name: 'b.png', bytes: await uniquePng(seed++) }], { caption: 'first' }, headers);
      expect(more.status).toBe(409);
      const elsewhere = await newCapture();
      const moved = await uploadFiles(server, token, elsewhere, [{ name: 'a.png', bytes }], { caption: 'first' }, headers);
      expect(moved.status).toBe(409);
      expect((await moved.json()).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await mediaOf(elsewhere)).toEqual([]);
      expect(await mediaOf(captureId)).toHaveLength(1);
      expect(staging()).toEqual([]);
    });
  });

  describe('a capture finished while an upload into it is in flight', () => {
    it('answers 409 CAPTURE_FINISHED and leaves no original without a media row', async () => {
      const captureId = await newCapture();
      const bytes = await uniquePng(seed++, 256);
      const part = filePart('slow.png', bytes, 'image/png');
      const half = Math.floor(part.length / 2);
      const before = originals();
      let finishStatus = 0;
      const response = await rawRequest(server, requestHead(captureId, part.length + closing.length), [
        {
          write: part.subarray(0, half),
          thenWait: async () => {
            // The first half is in staging: finish the capture before the rest arrives.
            for (let tries = 0; tries < 100 && staging().length === 0; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
            finishStatus = (await server.request('POST', `/api/v1/captures/${captureId}/finish`, { token })).status;
          },
        },
        { write: Buffer.concat([part.subarray(half), closing]) },
      ]);
      expect(finishStatus).toBe(200);
      expect(response.status).toBe(409);
      expect(JSON.parse(response.body).code).toBe('CAPTURE_FINISHED');
      expect(await mediaOf(captureId)).toEqual([]);
      expect(originals()).toEqual(before);
      expect(originals().some((file) => file.endsWith(sha256(bytes)))).toBe(false);
      expect(staging()).toEqual([]);
    });
  });

  describe('the integrity scrub', () => {
    it('reports a file in originals/ that no media row accounts for, and no registered one', async () => {
      const captureId = await newCapture();
      const registered = (await (await uploadFiles(server, token, captureId, [{ name: 'kept.png', bytes: await uniquePng(seed++) }])).json()).media[0];
      const stray = Buffer.from(await uniquePng(seed++));
      const strayHash = sha256(stray);
      const file = path.join(server.dataDir, 'originals', strayHash.slice(0, 2), strayHash.slice(2, 4), strayHash);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, stray);
      const anHourAgo = new Date(Date.now() - 3_600_000);
      fs.utimesSync(file, anHourAgo, anHourAgo);

      const report = (await server.app.runJob('integrity-scrub')) as { orphans: { sha256: string; bytes: number }[] };
      expect(report.orphans).toEqual([expect.objectContaining({ sha256: strayHash, bytes: stray.length })]);
      expect(report.orphans.some((orphan) => orphan.sha256 === registered.sha256)).toBe(false);
      fs.rmSync(file);
    });
  });

  describe('files that nothing can read', () => {
    it.each([
      ['a 4-byte "%PDF"', () => new Uint8Array(Buffer.from('%PDF'))],
      ['a PDF cut short before its %%EOF', () => cut(read('document.pdf'), Math.floor(read('document.pdf').length * 0.7))],
      ['a 16-byte MP4', () => cut(read('clip.mp4'), 16)],
      ['a WebM cut inside its header', () => cut(read('clip.webm'), 300)],
      ['a 64-byte PNG', () => cut(read('photo.png'), 64)],
      ['a JPEG cut in half', () => read('truncated.jpg')],
      ['a 20-byte WebP', () => cut(read('photo.webp'), 20)],
      ['an MP3 cut after 200 bytes', () => cut(read('sound.mp3'), 200)],
      ['a WAV with only its header', () => cut(read('sound.wav'), 44)],
    ])('refuses %s with 422 UNPROCESSABLE_MEDIA and keeps nothing', async (_name, bytes) => {
      const captureId = await newCapture();
      const before = originals();
      const response = await uploadFiles(server, token, captureId, [{ name: 'cut', bytes: bytes() }]);
      expect(response.status).toBe(422);
      const body = await response.json();
      expect(body.code).toBe('UNPROCESSABLE_MEDIA');
      expect(body.message).not.toContain(server.dataDir);
      expect(await mediaOf(captureId)).toEqual([]);
      expect(originals()).toEqual(before);
      expect(staging()).toEqual([]);
    });

    it('keeps an MP4 and a WebM cut short at 70% as evidence, with what can be read of them', async () => {
      const captureId = await newCapture();
      const mp4 = cut(read('clip.mp4'), Math.floor(read('clip.mp4').length * 0.7));
      const webm = cut(read('clip.webm'), Math.floor(read('clip.webm').length * 0.7));
      const response = await uploadFiles(server, token, captureId, [{ name: 'cut.mp4', bytes: mp4 }, { name: 'cut.webm', bytes: webm }]);
      expect(response.status).toBe(201);
      const media = (await response.json()).media as { id: string; type: string; sha256: string }[];
      expect(media.map((m) => [m.type, m.sha256])).toEqual([['video', sha256(mp4)], ['video', sha256(webm)]]);
      for (const item of media) {
        const poster = await server.request('GET', `/api/v1/media/${item.id}/thumbnail`, { token });
        expect(poster.status).toBe(200);
      }
    });

    it('still takes whole files of every kind, HEIC included', async () => {
      const captureId = await newCapture();
      const names = ['photo-hevc.heic', 'sound.ogg', 'sound.m4a', 'sound.wav', 'document.pdf', 'clip-rotated.mp4'];
      const response = await uploadFiles(server, token, captureId, names.map((name) => ({ name, bytes: read(name) })));
      expect(response.status).toBe(201);
      expect((await response.json()).media).toHaveLength(names.length);
    });

    it('refuses a cut-short file sent by resumable upload with 422 too, keeping nothing', async () => {
      const captureId = await newCapture();
      const bytes = Buffer.from(cut(read('photo.png'), 64));
      const metadata = [`captureId ${Buffer.from(captureId).toString('base64')}`, `filename ${Buffer.from('cut.png').toString('base64')}`].join(',');
      const response = await server.request('POST', '/api/v1/uploads', {
        token,
        headers: { 'tus-resumable': '1.0.0', 'upload-length': String(bytes.length), 'upload-metadata': metadata, 'content-type': 'application/offset+octet-stream' },
        body: bytes,
      });
      expect(response.status).toBe(422);
      expect((await response.json()).code).toBe('UNPROCESSABLE_MEDIA');
      expect(await mediaOf(captureId)).toEqual([]);
      expect(staging()).toEqual([]);
      for (let tries = 0; tries < 40 && listFiles(path.join(server.dataDir, 'uploads')).length > 0; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(listFiles(path.join(server.dataDir, 'uploads'))).toEqual([]);
    });
  });

  describe('a Content-Length that lies', () => {
    it('answers 413 for a declared length beyond any acceptable upload (2^53 bytes), not 507', async () => {
      const captureId = await newCapture();
      for (const declared of [2 ** 53, 10 ** 15]) {
        const response = await rawRequest(server, requestHead(captureId, declared), [{ write: filePart('p.png', read('photo.png'), 'image/png') }]);
        expect(response.status).toBe(413);
        expect(JSON.parse(response.body).code).toBe('PAYLOAD_TOO_LARGE');
      }
      expect(await mediaOf(captureId)).toEqual([]);
      expect(staging()).toEqual([]);
    });

    it('keeps nothing when the body ends before the declared length', async () => {
      const captureId = await newCapture();
      const body = Buffer.concat([filePart('p.png', await uniquePng(seed++), 'image/png'), closing]);
      const response = await rawRequest(server, requestHead(captureId, body.length + 1000), [{ write: body }], { end: true });
      // Node's HTTP parser answers a request cut off by the client's end itself (its shape is the
      // error handler's business); the upload's own answer can no longer be delivered.
      expect([0, 400]).toContain(response.status);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await mediaOf(captureId)).toEqual([]);
      expect(staging()).toEqual([]);
    });

    it('keeps nothing when the declared length is shorter than the body, cutting the form short', async () => {
      const captureId = await newCapture();
      const before = originals();
      const body = Buffer.concat([filePart('p.png', await uniquePng(seed++), 'image/png'), closing]);
      const response = await rawRequest(server, requestHead(captureId, body.length - 100), [{ write: body }]);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await mediaOf(captureId)).toEqual([]);
      expect(originals()).toEqual(before);
      expect(staging()).toEqual([]);
    });
  });

  describe('odd forms', () => {
    const send = (captureId: string, body: Buffer) =>
      server.request('POST', `/api/v1/captures/${captureId}/media`, { token, body: new Uint8Array(body), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });

    it('answers a zero-byte file with 415 and a file part without a filename with 400', async () => {
      const captureId = await newCapture();
      const empty = await send(captureId, Buffer.concat([filePart('empty.png', new Uint8Array(0)), closing]));
      expect(empty.status).toBe(415);
      const unnamed = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\n`),
        Buffer.from(read('photo.png')),
        Buffer.from('\r\n'),
        closing,
      ]);
      const noName = await send(captureId, unnamed);
      expect(noName.status).toBe(400);
      expect((await noName.json()).code).toBe('VALIDATION_FAILED');
      expect(staging()).toEqual([]);
    });

    it('answers 21 files with 413 and keeps none of the twenty before', async () => {
      const captureId = await newCapture();
      const before = originals();
      const files = await Promise.all(Array.from({ length: 21 }, async () => ({ name: 'p.png', bytes: await uniquePng(seed++, 16) })));
      const response = await uploadFiles(server, token, captureId, files);
      expect(response.status).toBe(413);
      expect((await response.json()).code).toBe('PAYLOAD_TOO_LARGE');
      expect(await mediaOf(captureId)).toEqual([]);
      expect(originals()).toEqual(before);
      expect(staging()).toEqual([]);
    });

    it('refuses a caption holding control characters with 400 and keeps the file out', async () => {
      const captureId = await newCapture();
      const before = originals();
      const response = await uploadFiles(server, token, captureId, [{ name: 'p.png', bytes: await uniquePng(seed++, 16) }], { caption: 'bell \u0007 escape \u001b[31m' });
      expect(response.status).toBe(400);
      expect((await response.json()).code).toBe('VALIDATION_FAILED');
      expect(originals()).toEqual(before);
      expect(staging()).toEqual([]);
      const lines = await uploadFiles(server, token, captureId, [{ name: 'p.png', bytes: await uniquePng(seed++, 16) }], { caption: '상자 위\n\t라벨' });
      expect(lines.status).toBe(201);
    });

    it('ignores a field after the last file and keeps hostile file names only as labels', async () => {
      const captureId = await newCapture();
      const names = ['../../x', 'a\u0000b.png', 'n'.repeat(10_000)];
      const form = new FormData();
      for (const name of names) form.append('file', new Blob([await uniquePng(seed++, 16)]), name);
      form.append('caption', 'after the files');
      const response = await server.request('POST', `/api/v1/captures/${captureId}/media`, { token, body: form });
      expect(response.status).toBe(201);
      const media = (await response.json()).media as { originalName?: string; caption?: string }[];
      expect(media.map((m) => m.originalName)).toEqual(['x', 'ab.png', 'n'.repeat(255)]);
      expect(media.every((m) => m.caption === undefined)).toBe(true);
      expect(fs.existsSync(path.join(server.dataDir, '..', 'x'))).toBe(false);
      expect(staging()).toEqual([]);
    });
  });
});
