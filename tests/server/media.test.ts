import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../storage/video';
import { fixture, listFiles, setUpShop, startServer, uploadFiles, type TestServer } from '../helpers/server';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));

describe('media ingest and reads', () => {
  let server: TestServer;
  let token: string;
  const newCapture = async (orderId = `ORD-${Math.random().toString(36).slice(2)}`) =>
    (await (await server.request('POST', '/api/v1/captures', { token, json: { orderId, kind: 'packing' } })).json()).id as string;

  beforeAll(async () => {
    server = await startServer({ MAX_PHOTO_BYTES: '200KiB', MAX_IMAGE_PIXELS: '50000000' });
    token = (await (await setUpShop(server, 'Asia/Seoul')).deviceToken()).token;
  });
  afterAll(() => server.close());

  /** Staging must be empty and every original must belong to a media row. */
  function expectNothingHalfWritten() {
    expect(listFiles(path.join(server.dataDir, 'staging'))).toEqual([]);
  }

  it('stores a phone photo bit-exact, reads its EXIF time and GPS, and serves an upright thumbnail', async () => {
    const captureId = await newCapture();
    const bytes = read('photo-orientation6-gps.jpg');
    const response = await uploadFiles(server, token, captureId, [{ name: 'IMG_0001.JPG', bytes }]);
    expect(response.status).toBe(201);
    const [media] = (await response.json()).media;
    expect(media).toMatchObject({ captureId, type: 'photo', mime: 'image/jpeg', bytes: bytes.length, sha256: sha256(bytes), originalName: 'IMG_0001.JPG' });
    expect(Date.parse(media.receivedAt)).toBeGreaterThan(Date.now() - 60_000);

    const thumbnail = await server.request('GET', `/api/v1/media/${media.id}/thumbnail`, { token });
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
    const thumb = Buffer.from(await thumbnail.arrayBuffer());
    const meta = await sharp(thumb).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(480);
    expect(meta.height!).toBeGreaterThan(meta.width!); // stored landscape, orientation 6: upright is portrait

    const info = await (await server.request('GET', `/api/v1/media/${media.id}`, { token })).json();
    expect(info).toMatchObject({ processingStatus: 'ready', width: 480, height: 640, capturedAtSource: 'exif' });
    // 14:03:12 at +09:00 as the camera recorded it; kept apart from the server's receive time.
    expect(info.capturedAt).toBe('2026-05-01T05:03:12.000Z');
    expect(info.location.latitude).toBeCloseTo(37.5665, 3);
    expect(info.location.longitude).toBeCloseTo(126.978, 3);

    const original = await server.request('GET', `/api/v1/media/${media.id}/original`, { token });
    expect(original.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
    expect(sha256(new Uint8Array(await original.arrayBuffer()))).toBe(sha256(bytes));
  });

  it.each([
    ['clip.webm', 'video/webm'],
    ['clip.mp4', 'video/mp4'],
    ['clip-recorder-style.webm', 'video/webm'],
  ])('learns the duration of %s and makes a poster frame', async (name, mime) => {
    const captureId = await newCapture();
    const response = await uploadFiles(server, token, captureId, [{ name, bytes: read(name) }]);
    expect(response.status).toBe(201);
    const [media] = (await response.json()).media;
    expect(media).toMatchObject({ type: 'video', mime });
    const poster = await server.request('GET', `/api/v1/media/${media.id}/thumbnail`, { token });
    expect(poster.status).toBe(200);
    const meta = await sharp(Buffer.from(await poster.arrayBuffer())).metadata();
    expect(meta.format).toBe('jpeg');
    const info = await (await server.request('GET', `/api/v1/media/${media.id}`, { token })).json();
    expect(info.processingStatus).toBe('ready');
    expect(info.durationMs).toBeGreaterThan(1500);
    expect(info.durationMs).toBeLessThan(2600);
  });

  it('makes a playback copy of a browser-recorded WebM that plays as H.264 MP4, leaving the original untouched', async () => {
    const captureId = await newCapture();
    const bytes = read('clip-recorder-style.webm');
    const [media] = (await (await uploadFiles(server, token, captureId, [{ name: 'rec.webm', bytes }])).json()).media;
    expect(media.playbackStatus).toBe('pending');
    const early = await server.request('GET', `/api/v1/media/${media.id}/playback`, { token });
    expect([200, 404]).toContain(early.status);
    let info = media;
    for (let tries = 0; tries < 120 && info.playbackStatus === 'pending'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      info = await (await server.request('GET', `/api/v1/media/${media.id}`, { token })).json();
    }
    expect(info.playbackStatus).toBe('ready');
    const playback = await server.request('GET', `/api/v1/media/${media.id}/playback`, { token });
    expect(playback.status).toBe(200);
    expect(playback.headers.get('content-type')).toBe('video/mp4');
    const file = path.join(server.dataDir, 'playback-check.mp4');
    fs.writeFileSync(file, Buffer.from(await playback.arrayBuffer()));
    const probe = await probeMedia(file);
    expect(probe.videoCodec).toBe('h264');
    expect(probe.durationMs).toBeGreaterThan(1500);
    const seek = await server.request('GET', `/api/v1/media/${media.id}/playback`, { token, headers: { range: 'bytes=0-99' } });
    expect(seek.status).toBe(206);
    const original = await server.request('GET', `/api/v1/media/${media.id}/original`, { token });
    expect(sha256(new Uint8Array(await original.arrayBuffer()))).toBe(sha256(bytes));
  });

  it('accepts audio and PDF documents by their magic bytes, whatever their names say', async () => {
    const captureId = await newCapture();
    const response = await uploadFiles(server, token, captureId, [
      { name: 'call.bin', bytes: read('sound.m4a') },
      { name: 'x.txt', bytes: read('document.pdf') },
    ]);
    expect(response.status).toBe(201);
    const media = (await response.json()).media;
    expect(media.map((m: { type: string; mime: string }) => [m.type, m.mime])).toEqual([['audio', 'audio/mp4'], ['document', 'application/pdf']]);
  });

  it('refuses a renamed executable with 415 and keeps nothing of it', async () => {
    const captureId = await newCapture();
    const before = listFiles(path.join(server.dataDir, 'originals'));
    const response = await uploadFiles(server, token, captureId, [{ name: 'holiday.jpg', bytes: read('not-an-image.jpg'), type: 'image/jpeg' }]);
    expect(response.status).toBe(415);
    expect((await response.json()).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(listFiles(path.join(server.dataDir, 'originals'))).toEqual(before);
    expect((await (await server.request('GET', `/api/v1/captures/${captureId}`, { token })).json()).media).toEqual([]);
    expectNothingHalfWritten();
  });

  it('refuses a file over its type’s size limit with 413 and leaves no file or row', async () => {
    const captureId = await newCapture();
    const big = await sharp({ create: { width: 800, height: 800, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer();
    expect(big.length).toBeGreaterThan(200 * 1024);
    const before = listFiles(path.join(server.dataDir, 'originals'));
    const response = await uploadFiles(server, token, captureId, [{ name: 'big.png', bytes: new Uint8Array(big) }]);
    expect(response.status).toBe(413);
    expect((await response.json()).code).toBe('PAYLOAD_TOO_LARGE');
    expect(listFiles(path.join(server.dataDir, 'originals'))).toEqual(before);
    expect((await (await server.request('GET', `/api/v1/captures/${captureId}`, { token })).json()).media).toEqual([]);
    expectNothingHalfWritten();
  });

  it('refuses an image whose header claims billions of pixels with 422 IMAGE_TOO_LARGE', async () => {
    const captureId = await newCapture();
    const response = await uploadFiles(server, token, captureId, [{ name: 'bomb.png', bytes: read('huge-pixels.png') }]);
    expect(response.status).toBe(422);
    expect((await response.json()).code).toBe('IMAGE_TOO_LARGE');
    expectNothingHalfWritten();
  });

  it('keeps a path-like file name only as a label, never as a path', async () => {
    const captureId = await newCapture();
    const response = await uploadFiles(server, token, captureId, [{ name: '../../../etc/passwd\u0000.png', bytes: read('photo.png') }]);
    expect(response.status).toBe(201);
    const [media] = (await response.json()).media;
    expect(media.originalName).toBe('passwd.png');
    expect(fs.existsSync(path.join(server.dataDir, '..', '..', 'etc', 'passwd.png'))).toBe(false);
  });

  it('keeps nothing of an upload cut off mid-file', async () => {
    const captureId = await newCapture();
    const url = new URL(server.url);
    const boundary = 'packtrail-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="clip.webm"\r\nContent-Type: video/webm\r\n\r\n`;
    const clip = Buffer.from(read('clip.webm'));
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /api/v1/captures/${captureId}/media HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n` +
            `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${head.length + clip.length + 100}\r\n\r\n`,
        );
        socket.write(head);
        socket.write(clip.subarray(0, clip.length / 2));
        setTimeout(() => socket.destroy(), 200);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await (await server.request('GET', `/api/v1/captures/${captureId}`, { token })).json()).media).toEqual([]);
    expectNothingHalfWritten();
  });

  it('answers 400 for a multipart body that ends without its closing boundary, and keeps nothing', async () => {
    const captureId = await newCapture();
    const boundary = 'b0undary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\n\r\n`),
      Buffer.from(read('photo.png')),
    ]);
    const response = await server.request('POST', `/api/v1/captures/${captureId}/media`, {
      token,
      body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).code).toBe('VALIDATION_FAILED');
    expect((await (await server.request('GET', `/api/v1/captures/${captureId}`, { token })).json()).media).toEqual([]);
    expectNothingHalfWritten();
  });

  it('answers a retried upload with the same Idempotency-Key with the same media, and the same bytes twice are one item', async () => {
    const captureId = await newCapture();
    const bytes = read('photo.webp');
    const headers = { 'idempotency-key': 'upload-42' };
    const first = await (await uploadFiles(server, token, captureId, [{ name: 'a.webp', bytes }], {}, headers)).json();
    const retry = await uploadFiles(server, token, captureId, [{ name: 'a.webp', bytes }], {}, headers);
    expect(retry.status).toBe(201);
    expect((await retry.json()).media[0].id).toBe(first.media[0].id);
    const again = await (await uploadFiles(server, token, captureId, [{ name: 'copy.webp', bytes }])).json();
    expect(again.media[0].id).toBe(first.media[0].id);
    expect((await (await server.request('GET', `/api/v1/captures/${captureId}`, { token })).json()).media).toHaveLength(1);
  });

  it('records a client capture time apart from the server receive time, and a caption', async () => {
    const captureId = await newCapture();
    const response = await uploadFiles(server, token, captureId, [{ name: 'p.png', bytes: read('photo.png') }], {
      capturedAt: '2026-11-20T01:02:03+09:00',
      caption: '라벨 확대',
    });
    const [media] = (await response.json()).media;
    expect(media).toMatchObject({ capturedAt: '2026-11-19T16:02:03.000Z', capturedAtSource: 'client', caption: '라벨 확대' });
    expect(media.receivedAt).not.toBe(media.capturedAt);
    const bad = await uploadFiles(server, token, captureId, [{ name: 'p.png', bytes: read('photo.png') }], { capturedAt: 'yesterday' });
    expect(bad.status).toBe(400);
  });

  it('serves byte ranges with 206 so a video can seek, and 416 past the end', async () => {
    const captureId = await newCapture();
    const bytes = read('clip.mp4');
    const [media] = (await (await uploadFiles(server, token, captureId, [{ name: 'c.mp4', bytes }])).json()).media;
    const route = `/api/v1/media/${media.id}/original`;

    const middle = await server.request('GET', route, { token, headers: { range: 'bytes=100-1099' } });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 100-1099/${bytes.length}`);
    expect(Buffer.from(await middle.arrayBuffer()).equals(Buffer.from(bytes.subarray(100, 1100)))).toBe(true);

    const tail = await server.request('GET', route, { token, headers: { range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(Buffer.from(bytes.subarray(bytes.length - 10)))).toBe(true);

    const beyond = await server.request('GET', route, { token, headers: { range: `bytes=${bytes.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${bytes.length}`);

    const cached = await server.request('GET', route, { token, headers: { 'if-none-match': `"${sha256(bytes)}"` } });
    expect(cached.status).toBe(304);
    const weakInList = await server.request('GET', route, { token, headers: { 'if-none-match': `"other", W/"${sha256(bytes)}"` } });
    expect(weakInList.status).toBe(304);
    const reversed = await server.request('GET', route, { token, headers: { range: 'bytes=9-5' } });
    expect(reversed.status).toBe(200);
    expect(Number(reversed.headers.get('content-length'))).toBe(bytes.length);
  });

  it('answers a retry with the first answer even after the capture was finished', async () => {
    const captureId = await newCapture();
    const headers = { 'idempotency-key': 'before-finish' };
    const first = await (await uploadFiles(server, token, captureId, [{ name: 'p.png', bytes: read('photo.png') }], {}, headers)).json();
    await server.request('POST', `/api/v1/captures/${captureId}/finish`, { token });
    const retry = await uploadFiles(server, token, captureId, [{ name: 'p.png', bytes: read('photo.png') }], {}, headers);
    expect(retry.status).toBe(201);
    expect((await retry.json()).media[0].id).toBe(first.media[0].id);
  });

  it('refuses uploads to a finished capture with 409 CAPTURE_FINISHED', async () => {
    const captureId = await newCapture();
    await server.request('POST', `/api/v1/captures/${captureId}/finish`, { token });
    const response = await uploadFiles(server, token, captureId, [{ name: 'p.png', bytes: read('photo.png') }]);
    expect(response.status).toBe(409);
    expect((await response.json()).code).toBe('CAPTURE_FINISHED');
  });

  it('answers 415 for a JSON body where files are expected, and 400 for a form with no file', async () => {
    const captureId = await newCapture();
    const json = await server.request('POST', `/api/v1/captures/${captureId}/media`, { token, json: { file: 'x' } });
    expect(json.status).toBe(415);
    const empty = await uploadFiles(server, token, captureId, [], { caption: 'nothing' });
    expect(empty.status).toBe(400);
  });
});

describe('a disk that is nearly full', () => {
  it('refuses uploads with 507 INSUFFICIENT_STORAGE and writes nothing', async () => {
    const server = await startServer({ MIN_FREE_DISK_BYTES: '1000000GiB' });
    try {
      const token = (await setUpShop(server)).ownerToken;
      const capture = await (await server.request('POST', '/api/v1/captures', { token, json: { orderId: 'FULL', kind: 'packing' } })).json();
      const response = await uploadFiles(server, token, capture.id, [{ name: 'p.png', bytes: read('photo.png') }]);
      expect(response.status).toBe(507);
      expect((await response.json()).code).toBe('INSUFFICIENT_STORAGE');
      expect(listFiles(path.join(server.dataDir, 'originals'))).toEqual([]);
      expect(listFiles(path.join(server.dataDir, 'staging'))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
