// tus misuse: lengths no upload may have, headers the protocol does not allow, extensions not offered,
// requests cut off, and more unfinished uploads than a device may hold. Each is the client's mistake:
// a 4xx with a stable code, never a 5xx, and nothing left behind.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfDocument } from '../helpers/pdf-file';
import { fixture, listFiles, setUpShop, startServer, type TestServer } from '../helpers/server';

const TUS = { 'tus-resumable': '1.0.0' };
const OCTETS = { 'content-type': 'application/offset+octet-stream' };
const base64 = (text: string) => Buffer.from(text).toString('base64');

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request as written; `chunked` sends the body without a Content-Length. */
function send(base: string, method: string, target: string, headers: Record<string, string>, body?: Buffer, chunked = false): Promise<Answer> {
  const { hostname, port } = new URL(base);
  const all: Record<string, string> = { ...headers };
  if (body && !chunked) all['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, method, path: target, headers: all, agent: false }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function expectRefusal(answer: Answer, status: number, code: string, label = '') {
  expect(answer.status, `${label} ${answer.body}`).toBe(status);
  expect(answer.headers['content-type'], label).toBe('application/json; charset=utf-8');
  expect(JSON.parse(answer.body), label).toMatchObject({ statusCode: status, code });
}

/** The uploads a test created and did not finish: everything in uploads/ minus these must be nothing. */
const uploadFiles = (dataDir: string) => listFiles(path.join(dataDir, 'uploads')).filter((name) => !name.endsWith('.finished'));

describe('tus misuse', () => {
  let server: TestServer;
  let token: string;
  let captureId: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    server = await startServer({ MAX_UNFINISHED_UPLOADS: '1000' });
    const shop = await setUpShop(server);
    token = (await shop.deviceToken('phone')).token;
    auth = { authorization: `Bearer ${token}`, ...TUS };
    captureId = (await (await server.request('POST', '/api/v1/captures', { token, json: { orderId: 'MISUSE-1', kind: 'packing' } })).json()).id;
  });
  afterAll(() => server.close());

  const metadata = () => `captureId ${base64(captureId)},filename ${base64('label.png')}`;
  const create = (headers: Record<string, string>, body?: Buffer, chunked = false) =>
    send(server.url, 'POST', '/api/v1/uploads', { ...auth, 'upload-metadata': metadata(), ...headers }, body, chunked);
  async function created(headers: Record<string, string> = { 'upload-length': '100' }): Promise<string> {
    const answer = await create(headers);
    expect(answer.status, answer.body).toBe(201);
    return String(answer.headers.location);
  }
  const patch = (location: string, headers: Record<string, string>, body?: Buffer, chunked = false) => send(server.url, 'PATCH', location, { ...auth, ...headers }, body, chunked);
  const head = (location: string) => send(server.url, 'HEAD', location, auth);
  const remove = (location: string) => send(server.url, 'DELETE', location, auth);

  it('answers a declared length beyond the largest upload with 413 and a malformed one with 400, before looking for room', async () => {
    const before = uploadFiles(server.dataDir);
    for (const length of [String(2 ** 40), '9223372036854775808', '18446744073709551616', '9'.repeat(400)]) {
      expectRefusal(await create({ 'upload-length': length }), 413, 'PAYLOAD_TOO_LARGE', `Upload-Length ${length.slice(0, 30)}`);
    }
    for (const length of ['-1', 'abc', '1e3', '010', '1.5', ' ', 'Infinity', '0x10', '10, 20']) {
      expectRefusal(await create({ 'upload-length': length }), 400, 'VALIDATION_FAILED', `Upload-Length ${length}`);
    }
    const deferred = await created({ 'upload-defer-length': '1' });
    for (const length of [String(2 ** 40), '9223372036854775808']) {
      expectRefusal(await patch(deferred, { 'upload-offset': '0', 'upload-length': length, ...OCTETS }, Buffer.alloc(0)), 413, 'PAYLOAD_TOO_LARGE', `PATCH Upload-Length ${length}`);
    }
    expectRefusal(await patch(deferred, { 'upload-offset': '0', 'upload-length': 'abc', ...OCTETS }, Buffer.alloc(0)), 400, 'VALIDATION_FAILED');
    // A body that claims more than any upload may hold: 413 before any room is looked for.
    const claimsTooMuch = { 'upload-offset': '0', ...OCTETS, 'content-length': String(2 ** 40) };
    const cut = await send(server.url, 'PATCH', deferred, { ...auth, ...claimsTooMuch });
    expectRefusal(cut, 413, 'PAYLOAD_TOO_LARGE');
    const sized = await created({ 'upload-length': '10' });
    // Declaring the length of an upload whose length is known is tus's 400, whatever the disk holds.
    expectRefusal(await patch(sized, { 'upload-offset': '0', 'upload-length': String(3 * 1024 ** 3), ...OCTETS }, Buffer.alloc(0)), 400, 'VALIDATION_FAILED');
    expect((await remove(sized)).status).toBe(204);
    expect((await remove(deferred)).status).toBe(204);
    expect(uploadFiles(server.dataDir)).toEqual(before);
  });

  it('refuses concatenation (Upload-Concat) as the client’s mistake with 400 VALIDATION_FAILED, not 501', async () => {
    const before = uploadFiles(server.dataDir);
    for (const concat of ['partial', 'final;/api/v1/uploads/a /api/v1/uploads/b', 'final;', 'junk', '']) {
      const headers: Record<string, string> = concat.startsWith('final') ? { 'upload-defer-length': '1' } : { 'upload-length': '10' };
      expectRefusal(await create({ ...headers, 'upload-concat': concat }), 400, 'VALIDATION_FAILED', `Upload-Concat ${concat}`);
    }
    const location = await created();
    expectRefusal(await patch(location, { 'upload-offset': '0', 'upload-concat': 'partial', ...OCTETS }, Buffer.from('%PDF-')), 400, 'VALIDATION_FAILED');
    expect((await head(location)).headers['upload-offset']).toBe('0');
    await remove(location);
    expect(uploadFiles(server.dataDir)).toEqual(before);
  });

  it('refuses malformed tus headers with 400 VALIDATION_FAILED, including the ones tus itself answers 403', async () => {
    const before = uploadFiles(server.dataDir);
    for (const [label, headers] of [
      ['Upload-Defer-Length 0', { 'upload-defer-length': '0' }],
      ['Upload-Defer-Length 2', { 'upload-defer-length': '2' }],
      ['Upload-Defer-Length yes', { 'upload-defer-length': 'yes' }],
      ['both lengths', { 'upload-length': '10', 'upload-defer-length': '1' }],
      ['no length', {}],
    ] as [string, Record<string, string>][]) {
      expectRefusal(await create(headers), 400, 'VALIDATION_FAILED', label);
    }
    const captureValue = base64(captureId);
    for (const [label, value] of [
      ['bad base64', `captureId ${captureValue},filename ***`],
      ['base64 without padding', `captureId ${captureValue},filename YWJj ZA`],
      ['repeated key', `captureId ${captureValue},captureId ${captureValue}`],
      ['three tokens', `captureId ${captureValue},a b c`],
      ['empty pair', `captureId ${captureValue},,`],
      ['non-ASCII key', `captureId ${captureValue},fïle YQ==`],
      ['not UTF-8', `captureId ${captureValue},filename ${Buffer.from([0xff, 0xfe, 0x41]).toString('base64')}`],
      ['prototype key', `captureId ${captureValue},__proto__ YQ==,constructor YQ==`],
    ]) {
      expectRefusal(await send(server.url, 'POST', '/api/v1/uploads', { ...auth, 'upload-length': '10', 'upload-metadata': value }), 400, 'VALIDATION_FAILED', label);
    }
    const location = await created();
    for (const [label, headers] of [
      ['Upload-Offset abc', { 'upload-offset': 'abc', ...OCTETS }],
      ['Upload-Offset -1', { 'upload-offset': '-1', ...OCTETS }],
      ['Upload-Offset 1e3', { 'upload-offset': '1e3', ...OCTETS }],
      ['Upload-Offset huge', { 'upload-offset': '99999999999999999999', ...OCTETS }],
      ['no Upload-Offset', { ...OCTETS }],
      ['no Content-Type', { 'upload-offset': '0' }],
      ['wrong Content-Type', { 'upload-offset': '0', 'content-type': 'text/plain' }],
      ['Upload-Length on a known length', { 'upload-offset': '0', 'upload-length': '100', ...OCTETS }],
    ] as [string, Record<string, string>][]) {
      expectRefusal(await patch(location, headers, Buffer.from('%PDF-')), 400, 'VALIDATION_FAILED', label);
    }
    expect((await head(location)).headers['upload-offset']).toBe('0');
    await remove(location);
    expect(uploadFiles(server.dataDir)).toEqual(before);
  });

  it('answers mistakes along the way with 4xx: a wrong offset, too many bytes, an upload finished or cancelled', async () => {
    const before = uploadFiles(server.dataDir);
    const bytes = fs.readFileSync(fixture('photo.png'));

    // Creation with more body than Upload-Length, with and without Content-Length: 413, and no upload stays.
    expectRefusal(await create({ 'upload-length': '10', ...OCTETS }, bytes.subarray(0, 20)), 413, 'PAYLOAD_TOO_LARGE');
    expectRefusal(await create({ 'upload-length': '10', ...OCTETS }, bytes.subarray(0, 20), true), 413, 'PAYLOAD_TOO_LARGE');
    expect(uploadFiles(server.dataDir)).toEqual(before);

    const location = await created({ 'upload-length': String(bytes.length) });
    expectRefusal(await patch(location, { 'upload-offset': '5', ...OCTETS }, bytes.subarray(5, 10)), 409, 'CONFLICT');
    expectRefusal(await patch(location, { 'upload-offset': '0', ...OCTETS }, Buffer.concat([bytes, bytes])), 413, 'PAYLOAD_TOO_LARGE');
    const chunkedTooMuch = await patch(location, { 'upload-offset': '0', ...OCTETS }, Buffer.concat([bytes, bytes]), true);
    expect(chunkedTooMuch.status, chunkedTooMuch.body).toBeGreaterThanOrEqual(400);
    expect(chunkedTooMuch.status, chunkedTooMuch.body).toBeLessThan(500);
    const offset = Number((await head(location)).headers['upload-offset']);
    const done = await patch(location, { 'upload-offset': String(offset), ...OCTETS }, bytes.subarray(offset));
    expect(done.status, done.body).toBe(204);
    expect(done.headers['packtrail-media-id']).toMatch(/^[0-9a-f-]{36}$/);

    // The finished upload is gone: every further request on it is 404, never 5xx.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expectRefusal(await patch(location, { 'upload-offset': String(bytes.length), ...OCTETS }, Buffer.alloc(0)), 404, 'NOT_FOUND');
    expect((await head(location)).status).toBe(404);
    expectRefusal(await remove(location), 404, 'NOT_FOUND');

    const cancelled = await created();
    expect((await remove(cancelled)).status).toBe(204);
    expect((await head(cancelled)).status).toBe(404);
    expectRefusal(await remove(cancelled), 404, 'NOT_FOUND');
    expectRefusal(await patch(cancelled, { 'upload-offset': '0', ...OCTETS }, Buffer.from('%PDF-')), 404, 'NOT_FOUND');
    expect(uploadFiles(server.dataDir)).toEqual(before);
  });

  it('answers a second PATCH sent while the first is still sending with 409, and the upload carries on from what arrived', async () => {
    const bytes = pdfDocument(300_000);
    const location = await created({ 'upload-length': String(bytes.length) });
    const { hostname, port } = new URL(server.url);
    const first = new Promise<number>((resolve) => {
      const request = http.request(
        { hostname, port, path: location, method: 'PATCH', agent: false, headers: { ...auth, 'upload-offset': '0', ...OCTETS, 'content-length': String(bytes.length) } },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', () => resolve(0));
      request.write(bytes.subarray(0, 100_000));
      setTimeout(() => request.destroy(), 10_000);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The whole file again from 0: what is left of the upload is measured from the offset the client claims.
    expectRefusal(await patch(location, { 'upload-offset': '0', ...OCTETS }, bytes), 409, 'CONFLICT');
    expect(await first).toBe(204); // asked to let go, it keeps what it had received
    const offset = Number((await head(location)).headers['upload-offset']);
    expect(offset).toBe(100_000);
    const rest = await patch(location, { 'upload-offset': String(offset), ...OCTETS }, bytes.subarray(offset));
    expect(rest.status, rest.body).toBe(204);
  });

  it('answers a disk that fills up mid-PATCH with 507 INSUFFICIENT_STORAGE, not 500', async () => {
    const location = await created({ 'upload-length': '100' });
    // /dev/full answers every write with ENOSPC: the upload's file becomes a way onto it.
    const file = path.join(server.dataDir, 'uploads', location.split('/').pop()!);
    fs.rmSync(file);
    fs.symlinkSync('/dev/full', file);
    expectRefusal(await patch(location, { 'upload-offset': '0', ...OCTETS }, Buffer.from('%PDF-1.7\n')), 507, 'INSUFFICIENT_STORAGE');
    fs.rmSync(file);
    fs.writeFileSync(file, '');
    await remove(location);
  });

  it('keeps what arrived of a PATCH cut off mid-body, so the upload resumes from there', async () => {
    const bytes = pdfDocument(256 * 1024);
    const location = await created({ 'upload-length': String(bytes.length) });
    const { port } = new URL(server.url);
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `PATCH ${location} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nTus-Resumable: 1.0.0\r\n` +
            `Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: ${bytes.length}\r\n\r\n`,
        );
        socket.write(bytes.subarray(0, 100 * 1024), () => setTimeout(() => socket.destroy(), 200));
      });
      socket.on('close', () => resolve());
      socket.on('error', () => {});
    });
    let offset = 0;
    for (let tries = 0; tries < 40; tries++) {
      const answer = await head(location);
      expect(answer.status).toBe(200);
      offset = Number(answer.headers['upload-offset']);
      if (offset > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(100 * 1024);
    const rest = await patch(location, { 'upload-offset': String(offset), ...OCTETS }, bytes.subarray(offset));
    expect(rest.status, rest.body).toBe(204);
    const media = await (await server.request('GET', `/api/v1/media/${rest.headers['packtrail-media-id']}`, { token })).json();
    expect(media.bytes).toBe(bytes.length);
  });
});

describe('unfinished uploads per device and on disk', () => {
  const created: TestServer[] = [];
  afterAll(async () => {
    for (const server of created) await server.close();
  });

  async function shopWith(env: Record<string, string>) {
    const server = await startServer(env);
    created.push(server);
    const shop = await setUpShop(server);
    // Each caller uploads into a capture it started: only its starter (or staff) may add to one.
    const captures = new Map<string, string>();
    const captureOf = async (token: string) => {
      if (!captures.has(token)) {
        const started = await server.request('POST', '/api/v1/captures', { token, json: { orderId: `CAP-${randomBytes(3).toString('hex')}`, kind: 'packing' } });
        captures.set(token, ((await started.json()) as { id: string }).id);
      }
      return captures.get(token)!;
    };
    const create = async (token: string, length: number | 'deferred' = 10) =>
      send(server.url, 'POST', '/api/v1/uploads', {
        authorization: `Bearer ${token}`,
        ...TUS,
        ...(length === 'deferred' ? { 'upload-defer-length': '1' } : { 'upload-length': String(length) }),
        'upload-metadata': `captureId ${base64(await captureOf(token))}`,
      });
    const remove = (token: string, location: string) => send(server.url, 'DELETE', location, { authorization: `Bearer ${token}`, ...TUS });
    return { server, shop, create, remove };
  }

  it('refuses a device more than MAX_UNFINISHED_UPLOADS unfinished uploads with 429 TOO_MANY_UNFINISHED_UPLOADS, other devices unaffected', async () => {
    const { server, shop, create, remove } = await shopWith({ MAX_UNFINISHED_UPLOADS: '3' });
    const phone = (await shop.deviceToken('phone A')).token;
    const other = (await shop.deviceToken('phone B')).token;
    const locations: string[] = [];
    for (const length of [10, 'deferred', 4 * 1024 ** 2] as const) {
      const answer = await create(phone, length);
      expect(answer.status, answer.body).toBe(201);
      locations.push(String(answer.headers.location));
    }
    const fourth = await create(phone, 10);
    expectRefusal(fourth, 429, 'TOO_MANY_UNFINISHED_UPLOADS');
    expect(JSON.parse(fourth.body).message).toContain('3');
    expect(uploadFiles(server.dataDir)).toHaveLength(6);
    expect((await create(other, 10)).status).toBe(201);

    // Cancelling one frees its place; so does finishing one.
    expect((await remove(phone, locations[0])).status).toBe(204);
    const again = await create(phone, 10);
    expect(again.status).toBe(201);
    expectRefusal(await create(phone, 10), 429, 'TOO_MANY_UNFINISHED_UPLOADS');
    const png = fs.readFileSync(fixture('photo.png'));
    const finishing = await send(server.url, 'PATCH', String(locations[1]), {
      authorization: `Bearer ${phone}`,
      ...TUS,
      'upload-offset': '0',
      'upload-length': String(png.length),
      ...OCTETS,
    }, png);
    expect(finishing.status, finishing.body).toBe(204);
    const last = await create(phone, 10);
    expect(last.status).toBe(201);
    expectRefusal(await create(phone, 10), 429, 'TOO_MANY_UNFINISHED_UPLOADS');

    // An expired upload can no longer be continued, so it holds no place (even before the hourly job removes it).
    const recordFile = path.join(server.dataDir, 'uploads', `${String(last.headers.location).split('/').pop()}.json`);
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf8'));
    record.creation_date = new Date(Date.now() - 100 * 3_600_000).toISOString();
    fs.writeFileSync(recordFile, JSON.stringify(record));
    expect((await create(phone, 10)).status).toBe(201);
  });

  it('lets only MAX_UNFINISHED_UPLOADS of many simultaneous creations through', async () => {
    const { server, shop, create } = await shopWith({ MAX_UNFINISHED_UPLOADS: '3' });
    const phone = (await shop.deviceToken('phone')).token;
    const answers = await Promise.all(Array.from({ length: 12 }, () => create(phone, 10)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(3);
    for (const answer of answers.filter((one) => one.status !== 201)) expectRefusal(answer, 429, 'TOO_MANY_UNFINISHED_UPLOADS');
    expect(uploadFiles(server.dataDir)).toHaveLength(6);
  });

  it('counts the declared lengths of unfinished uploads against free space: 507 once they would not all fit, room again when one is cancelled', async () => {
    const stats = fs.statfsSync(os.tmpdir());
    const free = stats.bavail * stats.bsize;
    const MiB = 1024 ** 2;
    if (free < 2048 * MiB) {
      console.warn(`skipped: ${os.tmpdir()} has only ${Math.round(free / MiB)} MiB free`);
      return;
    }
    // Leave 1000 MiB above the minimum: one 700 MiB upload fits, a second does not, even if the disk moves a little meanwhile.
    const { create, remove, shop, server } = await shopWith({
      MIN_FREE_DISK_BYTES: String(free - 1000 * MiB),
      MAX_VIDEO_BYTES: '1GiB',
      MAX_UNFINISHED_UPLOADS: '150',
    });
    const phone = (await shop.deviceToken('phone')).token;
    const first = await create(phone, 700 * MiB);
    expect(first.status, first.body).toBe(201);
    expectRefusal(await create(phone, 700 * MiB), 507, 'INSUFFICIENT_STORAGE');
    expect((await create(phone, 100 * MiB)).status).toBe(201);
    expect(uploadFiles(server.dataDir)).toHaveLength(4);
    expect((await remove(phone, String(first.headers.location))).status).toBe(204);
    expect((await create(phone, 700 * MiB)).status).toBe(201);
  });
});
