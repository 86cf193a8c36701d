// A real full disk: DATA_DIR on a 40 MiB tmpfs that a filler file fills. Uploads that do not fit are
// refused with 507 and leave nothing behind; reading evidence, exporting it and signing in keep
// working; uploads work again once space is freed. Mounting needs root (CI runs as root); where it
// is refused, every test here is skipped with the reason, and the reason is printed.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchOriginal, startChildServer, startUpload, type ChildServer } from '../helpers/child-server';
import { inspectDatabase, originalProblem, sha256Of } from '../helpers/data-dir';
import { chunksOf, pdfDocument } from '../helpers/pdf-file';
import { fixture, listFiles } from '../helpers/server';
import { mountTmpfs, needsTmpfs, type Tmpfs } from '../helpers/tmpfs';
import { tusCreate, tusDelete, tusHead, tusPatch } from '../helpers/tus-client';

const MIB = 1024 * 1024;
/** MIN_FREE_DISK_BYTES: uploads are refused before the disk gets closer to full than this. */
const RESERVE = 4 * MIB;
const OWNER = { email: 'owner@example.com', password: 'correct horse battery' };

interface Media {
  id: string;
  sha256: string;
  bytes: number;
}

describe('a full disk (DATA_DIR on a 40 MiB tmpfs)', () => {
  let tmpfs: Tmpfs | undefined;
  let skipReason: string | undefined;
  let server: ChildServer;
  let dataDir: string;
  let token: string;
  let captureId: string;
  let disputeId: string;
  let photo: Media;
  const evidence: Media[] = [];

  /** fetch against the server; a refusal is a Response like any other. */
  const api = (method: string, route: string, options: { token?: string; json?: unknown; body?: BodyInit } = {}) =>
    fetch(server.url + route, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
    });

  /** A multipart upload as a browser form sends it, Content-Length included. */
  const uploadForm = (name: string, bytes: Uint8Array<ArrayBuffer>) => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    return api('POST', `/api/v1/captures/${captureId}/media`, { token, body: form });
  };

  async function expectInsufficientStorage(response: { status: number; body: unknown }, what: string) {
    expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(507);
    expect(response.body, what).toMatchObject({ statusCode: 507, code: 'INSUFFICIENT_STORAGE' });
  }
  const answer = async (response: Response) => ({ status: response.status, body: await response.json().catch(() => undefined) });
  const json = (text: string) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };

  /**
   * Nothing half-written: no staged files, no tus upload but those the test knows of, and every media
   * row a whole original on disk; `mediaRows` when the count must not have changed.
   */
  function expectNothingHalfWritten(options: { mediaRows?: number; liveTusUploads?: string[] } = {}) {
    expect(listFiles(path.join(dataDir, 'staging')), 'staging/').toEqual([]);
    const tusFiles = listFiles(path.join(dataDir, 'uploads')).filter((file) => !file.endsWith('.json'));
    expect(tusFiles.sort(), 'uploads/').toEqual([...(options.liveTusUploads ?? [])].sort());
    const { integrity, media } = inspectDatabase(dataDir);
    expect(integrity).toBe('ok');
    for (const row of media) expect(originalProblem(dataDir, row)).toBeUndefined();
    if (options.mediaRows !== undefined) expect(media.length, 'media rows').toBe(options.mediaRows);
    return media.length;
  }

  /**
   * What must keep working on a full disk: evidence served whole, an export, a sign-in, healthz.
   * Soft assertions: one failing request does not hide how the others fare.
   */
  async function expectReadsExportAndSignIn({ soft = true } = {}) {
    const check = soft ? expect.soft : expect;
    const status = async (what: string, response: Response, expected: number) => {
      const ok = response.status === expected;
      check(response.status, `${what}: ${ok ? '' : await response.clone().text()}`).toBe(expected);
      return ok;
    };
    const info = await api('GET', `/api/v1/media/${photo.id}`, { token });
    if (await status('GET /media/:id', info, 200)) check(await info.json()).toMatchObject({ sha256: photo.sha256 });
    for (const media of evidence) {
      check(await fetchOriginal(server.url, token, media.id), `GET /media/:id/original (${media.bytes} bytes)`).toMatchObject({ status: 200, sha256: media.sha256, bytes: media.bytes });
    }
    const thumbnail = await api('GET', `/api/v1/media/${photo.id}/thumbnail`, { token });
    if (await status('GET /media/:id/thumbnail', thumbnail, 200)) check(thumbnail.headers.get('content-type')).toMatch(/^image\/jpeg/);
    await thumbnail.arrayBuffer();

    const bundle = await api('GET', `/api/v1/disputes/${disputeId}/bundle.zip`, { token });
    if (await status('GET /disputes/:id/bundle.zip', bundle, 200)) {
      const zip = Buffer.from(await bundle.arrayBuffer());
      check(zip.subarray(0, 4).toString('latin1'), 'bundle.zip starts as a ZIP').toBe('PK\x03\x04');
      // A download cut short by an error mid-stream has no end-of-central-directory record.
      check(zip.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1')), 'bundle.zip is complete').toBeGreaterThan(zip.length - 200);
      check(zip.length, 'bundle.zip holds the originals').toBeGreaterThan(evidence.reduce((sum, media) => sum + media.bytes, 0));
    }

    const signIn = await api('POST', '/api/v1/sessions', { json: OWNER });
    if (await status('POST /sessions', signIn, 200)) {
      const session = (await signIn.json()) as { token: string };
      await status('GET /me with the new session', await api('GET', '/api/v1/me', { token: session.token }), 200);
    }
    await status('GET /healthz', await api('GET', '/healthz'), 200);
  }

  beforeAll(async () => {
    const mounted = mountTmpfs('40m');
    if ('reason' in mounted) {
      skipReason = mounted.reason;
      console.warn(`SKIPPED full-disk tests: ${skipReason}`);
      return;
    }
    tmpfs = mounted.tmpfs;
    dataDir = path.join(tmpfs.dir, 'data');
    server = await startChildServer({ dataDir, env: { MIN_FREE_DISK_BYTES: String(RESERVE) } });

    // Evidence recorded while there was room: a photo (with its thumbnail made) and a document, in a dispute.
    const setup = await api('POST', '/api/v1/setup', { json: { ...OWNER, shopName: 'Full Disk Shop' } });
    expect(setup.status).toBe(201);
    token = ((await setup.json()) as { token: string }).token;
    captureId = ((await (await api('POST', '/api/v1/captures', { token, json: { orderId: 'FULL-1', kind: 'packing' } })).json()) as { id: string }).id;
    for (const [name, bytes] of [['photo.png', fs.readFileSync(fixture('photo.png'))], ['invoice.pdf', pdfDocument(2 * MIB)]] as const) {
      const uploaded = await uploadForm(name, new Uint8Array(bytes));
      expect(uploaded.status).toBe(201);
      evidence.push(((await uploaded.json()) as { media: Media[] }).media[0]);
    }
    photo = evidence[0];
    const dispute = await api('POST', '/api/v1/disputes', { token, json: { orderId: 'FULL-1', reason: 'item_missing', counterparty: 'marketplace' } });
    expect(dispute.status).toBe(201);
    disputeId = ((await dispute.json()) as { id: string }).id;
    expect((await api('POST', `/api/v1/disputes/${disputeId}/evidence`, { token, json: { captureId } })).status).toBe(201);
    await expectReadsExportAndSignIn({ soft: false });
  });

  afterAll(async () => {
    await server?.kill();
    tmpfs?.unmount();
  });


  it('refuses multipart and tus uploads larger than the free space with 507 INSUFFICIENT_STORAGE, keeping nothing of them', async (context) => {
    needsTmpfs(context, skipReason, () => server.output());
    tmpfs!.leaveFree(RESERVE + 3 * MIB);
    const rows = expectNothingHalfWritten();
    const big = pdfDocument(8 * MIB);

    // Declared sizes are refused before a byte is written.
    await expectInsufficientStorage(await answer(await uploadForm('big.pdf', new Uint8Array(big))), 'multipart with Content-Length');
    const declared = await tusCreate(server.url, token, { captureId, length: big.length });
    await expectInsufficientStorage({ status: declared.status, body: json(declared.body) }, 'tus creation with Upload-Length');
    // A body of unknown length runs into the full disk part-way and is refused then.
    const streamed = await startUpload({ url: server.url, token, captureId, chunks: chunksOf(big) }).result;
    await expectInsufficientStorage(streamed, 'multipart without Content-Length');
    expectNothingHalfWritten({ mediaRows: rows });
    expect(tmpfs!.freeBytes(), 'the refused bytes are given back').toBeGreaterThanOrEqual(RESERVE);

    // What fits is still taken.
    const small = pdfDocument(MIB);
    const fits = await uploadForm('small.pdf', new Uint8Array(small));
    expect(fits.status).toBe(201);
    expect(((await fits.json()) as { media: Media[] }).media[0]).toMatchObject({ sha256: sha256Of(small), bytes: small.length });
    expectNothingHalfWritten({ mediaRows: rows + 1 });
  });

  it('refuses every upload once less than MIN_FREE_DISK_BYTES is free, while originals, thumbnails, exports and sign-in keep working', async (context) => {
    needsTmpfs(context, skipReason, () => server.output());
    tmpfs!.leaveFree(RESERVE / 2);
    const rows = expectNothingHalfWritten();
    const tiny = pdfDocument(64 * 1024);
    await expectInsufficientStorage(await answer(await uploadForm('tiny.pdf', new Uint8Array(tiny))), 'small multipart');
    const created = await tusCreate(server.url, token, { captureId, length: tiny.length });
    await expectInsufficientStorage({ status: created.status, body: json(created.body) }, 'tus creation');
    const deferred = await tusCreate(server.url, token, { captureId });
    await expectInsufficientStorage({ status: deferred.status, body: json(deferred.body) }, 'tus creation with Upload-Defer-Length');
    await expectReadsExportAndSignIn();
    expectNothingHalfWritten({ mediaRows: rows });
  });

  it('keeps serving evidence, exports and sign-in, and refuses uploads with 507, when not one byte is free', async (context) => {
    needsTmpfs(context, skipReason, () => server.output());
    expect(tmpfs!.leaveFree(0), 'bytes left free by the filler').toBe(0);
    const rows = expectNothingHalfWritten();
    await expectInsufficientStorage(await answer(await uploadForm('tiny.pdf', new Uint8Array(pdfDocument(64 * 1024)))), 'small multipart');
    const created = await tusCreate(server.url, token, { captureId, length: 64 * 1024 });
    await expectInsufficientStorage({ status: created.status, body: json(created.body) }, 'tus creation');
    await expectReadsExportAndSignIn();
    expectNothingHalfWritten({ mediaRows: rows });
    expect(server.isRunning()).toBe(true);
  });

  /** tus uploads a full disk interrupted, to resume once there is room again. */
  const interrupted: { location: string; content: Buffer }[] = [];
  /** Room left for the uploads in the next tests: less than they send. */
  const ROOM = RESERVE + MIB;

  /** A tus upload begun while there was room, as a phone's upload of a long video would be. */
  async function tusBegun(content: Buffer, firstBytes: number): Promise<string> {
    tmpfs!.leaveFree(30 * MIB);
    const created = await tusCreate(server.url, token, { captureId, length: content.length, filename: 'long.pdf' });
    expect(created.status, created.body).toBe(201);
    if (firstBytes > 0) expect(await tusPatch(created.location!, token, 0, content.subarray(0, firstBytes)).done).toMatchObject({ status: 204, offset: firstBytes });
    interrupted.push({ location: created.location!, content });
    return created.location!;
  }
  const liveTusUploads = () => interrupted.map(({ location }) => path.basename(location));

  it('refuses a tus upload that runs into the full disk with 507, keeps the reserve free, and keeps the upload to resume', async (context) => {
    needsTmpfs(context, skipReason, () => server.output());
    const content = pdfDocument(8 * MIB);
    const location = await tusBegun(content, MIB);
    tmpfs!.leaveFree(ROOM);
    const rows = expectNothingHalfWritten({ liveTusUploads: liveTusUploads() });
    // Streamed without Content-Length, so only the disk itself can stop it.
    const rest = await tusPatch(location, token, MIB, content.subarray(MIB), { chunked: true }).done;
    expect.soft(rest.status, `tus PATCH past the free space: ${rest.body}`).toBe(507);
    expect.soft(json(rest.body), 'tus PATCH past the free space').toMatchObject({ statusCode: 507, code: 'INSUFFICIENT_STORAGE' });
    expect.soft(tmpfs!.freeBytes(), 'free bytes after the refused PATCH (the reserve is for the database)').toBeGreaterThanOrEqual(RESERVE);
    const head = await tusHead(location, token);
    expect(head.status, 'HEAD after the refused PATCH').toBe(200);
    expect(head.offset).toBeGreaterThanOrEqual(MIB);
    expect(head.offset).toBeLessThan(content.length);
    expectNothingHalfWritten({ mediaRows: rows, liveTusUploads: liveTusUploads() });
  });

  it('stops a tus upload of undeclared length at the floor with 507, keeping what it wrote to resume', async (context) => {
    needsTmpfs(context, skipReason, () => server.output());
    tmpfs!.leaveFree(30 * MIB);
    const created = await tusCreate(server.url, token, { captureId });
    expect(created.status, created.body).toBe(201);
    tmpfs!.leaveFree(ROOM);
    const rows = expectNothingHalfWritten({ liveTusUploads: [...liveTusUploads(), path.basename(created.location!)] });
    const stream = await tusPatch(created.location!, token, 0, pdfDocument(8 * MIB), { chunked: true }).done;
    expect(stream.status, `tus PATCH of undeclared length past the free space: ${stream.body}`).toBe(507);
    expect(json(stream.body)).toMatchObject({ statusCode: 507, code: 'INSUFFICIENT_STORAGE' });
    expect(tmpfs!.freeBytes(), 'free bytes after the refused PATCH').toBeGreaterThanOrEqual(RESERVE);
    const head = await tusHead(created.location!, token);
    expect(head.status).toBe(200);
    expect(head.offset).toBeGreaterThan(0);
    expect((await tusDelete(created.location!, token)).status).toBe(204);
    expectNothingHalfWritten({ mediaRows: rows, liveTusUploads: liveTusUploads() });
  });

  // The last byte fits, but nothing is left for the database to record the upload in: the answer is
  // still 507 (not a 500), no original stays behind without its row, and a tus upload stays resumable.
  it('refuses with 507 an upload whose last byte leaves the database no room, keeping no original without a row and the tus upload resumable', async (context) => {
    needsTmpfs(context, skipReason, () => server.output());
    const onePage = fs.statfsSync(dataDir).bsize;
    const tus = pdfDocument(ROOM - onePage);
    const location = await tusBegun(tus, 0);
    tmpfs!.leaveFree(ROOM);
    const rows = expectNothingHalfWritten({ liveTusUploads: liveTusUploads() });
    let originals = listFiles(path.join(dataDir, 'originals'));

    const multipart = await startUpload({ url: server.url, token, captureId, chunks: chunksOf(pdfDocument(ROOM - onePage)) }).result;
    expect.soft(multipart.status, `multipart without Content-Length that leaves ${onePage} bytes: ${JSON.stringify(multipart.body)}`).toBe(507);
    expect.soft(multipart.body).toMatchObject({ statusCode: 507, code: 'INSUFFICIENT_STORAGE' });
    expect.soft(listFiles(path.join(dataDir, 'originals')), 'originals after the refused multipart upload').toEqual(originals);

    // The same room again, whatever the refused upload left behind.
    tmpfs!.leaveFree(ROOM);
    originals = listFiles(path.join(dataDir, 'originals'));
    const patch = await tusPatch(location, token, 0, tus, { chunked: true }).done;
    expect.soft(patch.status, `tus PATCH without Content-Length that leaves ${onePage} bytes: ${patch.body}`).toBe(507);
    expect.soft(json(patch.body)).toMatchObject({ statusCode: 507, code: 'INSUFFICIENT_STORAGE' });
    expect.soft(listFiles(path.join(dataDir, 'originals')), 'originals after the refused tus upload').toEqual(originals);
    const head = await tusHead(location, token);
    expect.soft(head.status, 'HEAD after the refused tus upload: it can be resumed').toBe(200);
    if (head.status !== 200) interrupted.pop();
    expect(server.isRunning()).toBe(true);
    expect(listFiles(path.join(dataDir, 'staging')), 'staging/').toEqual([]);
    const { integrity, media } = inspectDatabase(dataDir);
    expect(integrity).toBe('ok');
    expect(media.length, 'media rows').toBe(rows);
  });

  it('accepts multipart and tus uploads again, and resumes the interrupted one, once the filler is deleted', async (context) => {
    needsTmpfs(context, skipReason, () => server.output());
    tmpfs!.removeFiller();
    const rows = expectNothingHalfWritten({ liveTusUploads: liveTusUploads() });

    const multipart = pdfDocument(4 * MIB);
    const uploaded = await uploadForm('after.pdf', new Uint8Array(multipart));
    expect(uploaded.status, await uploaded.clone().text()).toBe(201);
    const [media] = ((await uploaded.json()) as { media: Media[] }).media;
    expect(await fetchOriginal(server.url, token, media.id)).toMatchObject({ status: 200, sha256: sha256Of(multipart), bytes: multipart.length });

    const resumable = pdfDocument(4 * MIB);
    const created = await tusCreate(server.url, token, { captureId, length: resumable.length });
    expect(created.status, created.body).toBe(201);
    const finished = await tusPatch(created.location!, token, 0, resumable).done;
    expect(finished.status, finished.body).toBe(204);
    expect(await fetchOriginal(server.url, token, finished.mediaId!)).toMatchObject({ status: 200, sha256: sha256Of(resumable), bytes: resumable.length });

    for (const { location, content } of interrupted) {
      const head = await tusHead(location, token);
      expect(head.status, `HEAD ${location}`).toBe(200);
      const resumed = await tusPatch(location, token, head.offset!, content.subarray(head.offset)).done;
      expect(resumed.status, `resuming at ${head.offset} of ${content.length}: ${resumed.body}`).toBe(204);
      expect(await fetchOriginal(server.url, token, resumed.mediaId!)).toMatchObject({ status: 200, sha256: sha256Of(content), bytes: content.length });
    }
    await expectReadsExportAndSignIn();
    expectNothingHalfWritten({ mediaRows: rows + 2 + interrupted.length });
  });
});
