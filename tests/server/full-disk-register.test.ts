// The last step of an upload on a disk with no floor (MIN_FREE_DISK_BYTES=0, so no database reserve
// either): the bytes fit, but the database has no room to record them. The answer is 507, no original
// stays behind without its row, a tus upload is kept whole and is registered by a PATCH of no bytes once
// space is freed; the failure is logged without the upload's ID. Also: a multipart upload leaves room for
// what unfinished tus uploads have declared. DATA_DIR on a 40 MiB tmpfs (skipped, saying why, where none can be mounted).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchOriginal, startChildServer, startUpload, type ChildServer } from '../helpers/child-server';
import { inspectDatabase, sha256Of } from '../helpers/data-dir';
import { chunksOf, pdfDocument } from '../helpers/pdf-file';
import { listFiles } from '../helpers/server';
import { mountTmpfs, needsTmpfs, type Tmpfs } from '../helpers/tmpfs';
import { tusCreate, tusDelete, tusHead, tusPatch } from '../helpers/tus-client';

const MIB = 1024 * 1024;
const OWNER = { email: 'owner@example.com', password: 'correct horse battery' };

describe('a database with no room for the last upload (DATA_DIR on a 40 MiB tmpfs, no floor)', () => {
  let tmpfs: Tmpfs | undefined;
  let skipReason: string | undefined;
  let server: ChildServer;
  let dataDir: string;
  let token: string;
  let captureId: string;

  const api = (method: string, route: string, options: { json?: unknown; body?: BodyInit } = {}) =>
    fetch(server.url + route, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
    });

  beforeAll(async () => {
    const mounted = mountTmpfs('40m');
    if ('reason' in mounted) {
      skipReason = mounted.reason;
      console.warn(`SKIPPED full-disk register tests: ${skipReason}`);
      return;
    }
    tmpfs = mounted.tmpfs;
    dataDir = path.join(tmpfs.dir, 'data');
    server = await startChildServer({ dataDir, env: { MIN_FREE_DISK_BYTES: '0' } });
    const setup = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...OWNER, shopName: 'No Floor Shop' }),
    });
    token = ((await setup.json()) as { token: string }).token;
    captureId = ((await (await api('POST', '/api/v1/captures', { json: { orderId: 'FULL-2', kind: 'packing' } })).json()) as { id: string }).id;
  });

  afterAll(async () => {
    await server?.kill();
    tmpfs?.unmount();
  });


  it('answers 507 for a multipart upload whose rows no longer fit, keeping no original without a row', async (context) => {
    needsTmpfs(context, skipReason, () => server.output());
    const page = fs.statfsSync(dataDir).bsize;
    tmpfs!.leaveFree(4 * MIB);
    const before = listFiles(path.join(dataDir, 'originals'));
    const answer = await startUpload({ url: server.url, token, captureId, chunks: chunksOf(pdfDocument(4 * MIB - page)) }).result;
    expect(answer.status, JSON.stringify(answer.body)).toBe(507);
    expect(answer.body).toMatchObject({ statusCode: 507, code: 'INSUFFICIENT_STORAGE' });
    expect(listFiles(path.join(dataDir, 'originals'))).toEqual(before);
    expect(listFiles(path.join(dataDir, 'staging'))).toEqual([]);
    const { integrity, media } = inspectDatabase(dataDir);
    expect(integrity).toBe('ok');
    expect(media).toEqual([]);
  });

  it('keeps a tus upload whose registration found the disk full, logs why without its ID, and registers it on a PATCH of no bytes once space is freed', async (context) => {
    needsTmpfs(context, skipReason, () => server.output());
    const page = fs.statfsSync(dataDir).bsize;
    tmpfs!.leaveFree(30 * MIB);
    const content = pdfDocument(4 * MIB - page);
    const created = await tusCreate(server.url, token, { captureId, length: content.length });
    expect(created.status, created.body).toBe(201);
    const id = path.basename(created.location!);
    tmpfs!.leaveFree(4 * MIB);
    const originals = listFiles(path.join(dataDir, 'originals'));

    const last = await tusPatch(created.location!, token, 0, content, { chunked: true }).done;
    expect(last.status, last.body).toBe(507);
    expect(JSON.parse(last.body)).toMatchObject({ statusCode: 507, code: 'INSUFFICIENT_STORAGE' });
    expect(listFiles(path.join(dataDir, 'originals'))).toEqual(originals);
    const head = await tusHead(created.location!, token);
    expect(head).toMatchObject({ status: 200, offset: content.length, length: content.length });
    const failure = server.output().split('\n').find((line) => line.includes('resumable upload failed'));
    expect(failure, 'the failure is logged').toBeDefined();
    expect(failure).toContain(`"upload":"${id.slice(0, 6)}`);
    expect(server.output()).not.toContain(id);

    tmpfs!.removeFiller();
    const finished = await tusPatch(created.location!, token, content.length, Buffer.alloc(0)).done;
    expect(finished.status, finished.body).toBe(204);
    expect(await fetchOriginal(server.url, token, finished.mediaId!)).toMatchObject({ status: 200, sha256: sha256Of(content), bytes: content.length });
    expect((await tusHead(created.location!, token)).status).toBe(404);
  });

  it('refuses a multipart upload that would take the room unfinished tus uploads have declared, and takes it once they are cancelled', async (context) => {
    needsTmpfs(context, skipReason, () => server.output());
    tmpfs!.leaveFree(20 * MIB);
    const declared = await tusCreate(server.url, token, { captureId, length: 15 * MIB });
    expect(declared.status, declared.body).toBe(201);
    const form = () => {
      const body = new FormData();
      body.append('file', new Blob([new Uint8Array(pdfDocument(8 * MIB))]), 'beside.pdf');
      return api('POST', `/api/v1/captures/${captureId}/media`, { body });
    };
    const refused = await form();
    expect(refused.status).toBe(507);
    expect(await refused.json()).toMatchObject({ code: 'INSUFFICIENT_STORAGE' });
    expect((await tusDelete(declared.location!, token)).status).toBe(204);
    const taken = await form();
    expect(taken.status, await taken.clone().text()).toBe(201);
  });
});
