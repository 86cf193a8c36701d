// The hash of a resumable upload is taken while its bytes arrive and kept between its PATCH requests:
// a finished upload is not read again, a restart that lost the state re-reads only what is on disk,
// and no refused or cut-off request can leave the state out of step with the file. Real HTTP, real files.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Digest } from '../../storage/blobs/blob-store';
import { createResumableUploads, type ResumableUploads } from '../../storage/resumable-uploads';
import { tempDir } from '../helpers/server';
import { tusHead, tusPatch, tusPatchCutOff } from '../helpers/tus-client';

const KIB = 1024;
const MIB = 1024 * KIB;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Finished {
  digest?: Digest;
  /** SHA-256 of the handed-over file, read here to check the digest against the bytes on disk. */
  fileSha256: string;
}

/** The protocol over `directory` behind a bare node:http server, as the app wires it (every upload is the caller's). */
async function serve(directory: string) {
  const finished: Finished[] = [];
  const resumable: ResumableUploads = createResumableUploads({
    directory,
    path: '/uploads',
    expiryMs: 3_600_000,
    maxBytes: 64 * MIB,
    describeError: (status, message) => JSON.stringify({ statusCode: status, message }),
    async onFinish(upload) {
      finished.push({ digest: upload.digest, fileSha256: sha256(fs.readFileSync(upload.filePath)) });
      fs.rmSync(upload.filePath);
      return { 'Packtrail-Media-Id': 'done' };
    },
  });
  const server = http.createServer((request, response) => {
    const id = /^\/uploads\/([0-9a-f]{32})$/.exec(request.url ?? '')?.[1];
    if (request.method === 'POST') {
      const newId = resumable.newId();
      void resumable
        .admit({ id: newId, size: Number(request.headers['upload-length']), metadata: {} }, async () => {})
        .then(() => resumable.handle(request, response, newId));
    } else {
      void resumable.handle(request, response, id);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    resumable,
    finished,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
type Served = Awaited<ReturnType<typeof serve>>;

async function create(served: Served, length: number): Promise<string> {
  const answer = await fetch(`${served.url}/uploads`, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': String(length) } });
  expect(answer.status, await answer.text()).toBe(201);
  return new URL(answer.headers.get('location')!, served.url).href;
}

/** The offset the server holds once it has taken in what a cut-off request sent. */
async function settledOffset(location: string): Promise<number> {
  let last = -1;
  for (let tries = 0; tries < 50; tries++) {
    const { offset } = await tusHead(location, '-');
    if (offset === last) return offset!;
    last = offset ?? -1;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return last;
}

function expectDigestOf(finished: Finished | undefined, content: Buffer) {
  expect(finished?.fileSha256).toBe(sha256(content));
  expect(finished?.digest).toBeDefined();
  expect(finished!.digest!.sha256).toBe(sha256(content));
  expect(finished!.digest!.bytes).toBe(content.length);
  expect(finished!.digest!.head.equals(content.subarray(0, finished!.digest!.head.length))).toBe(true);
  expect(finished!.digest!.head.length).toBeGreaterThanOrEqual(4 * KIB);
}

describe('hash state of resumable uploads', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const start = async (directory: string) => {
    const served = await serve(directory);
    cleanups.push(served.close);
    return served;
  };
  const newDirectory = () => {
    const dir = tempDir('packtrail-resumable-digest-');
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return path.join(dir, 'uploads');
  };

  it('an upload sent in several PATCHes, one of them cut off, is hashed as it arrives and never read again', async () => {
    const served = await start(newDirectory());
    const content = randomBytes(6 * MIB + 123);
    const location = await create(served, content.length);
    const first = await tusPatch(location, '-', 0, content.subarray(0, 2 * MIB)).done;
    expect(first.status, first.body).toBe(204);
    // The client drops mid-body: what arrived stays, and so does a state true to it.
    await tusPatchCutOff(location, undefined, 2 * MIB, content.subarray(2 * MIB), MIB + 7);
    const offset = await settledOffset(location);
    expect(offset).toBeGreaterThan(2 * MIB);
    const last = await tusPatch(location, '-', offset, content.subarray(offset), { pieceSize: 100_000 }).done;
    expect(last.status, last.body).toBe(204);
    expect(last.headers['packtrail-media-id']).toBe('done');
    expectDigestOf(served.finished[0], content);
    expect(served.resumable.rereadBytes()).toBe(0);
  });

  it('a PATCH at a wrong offset is refused with 409 and leaves the hash state as it was', async () => {
    const served = await start(newDirectory());
    const content = randomBytes(3 * MIB);
    const location = await create(served, content.length);
    expect((await tusPatch(location, '-', 0, content.subarray(0, MIB)).done).status).toBe(204);
    // Behind, ahead, and the right bytes at the wrong place: none of them may reach the file or the hash.
    for (const [offset, bytes] of [
      [0, content.subarray(0, MIB)],
      [MIB - 1, content.subarray(MIB - 1, 2 * MIB)],
      [2 * MIB, content.subarray(2 * MIB)],
      [MIB + 1, randomBytes(KIB)],
    ] as const) {
      const refused = await tusPatch(location, '-', offset, bytes).done;
      expect(refused.status, `PATCH at ${offset}`).toBe(409);
    }
    const rest = await tusPatch(location, '-', MIB, content.subarray(MIB)).done;
    expect(rest.status, rest.body).toBe(204);
    expectDigestOf(served.finished[0], content);
    expect(served.resumable.rereadBytes()).toBe(0);
  });

  it('an upload cut off mid-way and resumed after a restart re-reads what is on disk once, then hashes true', async () => {
    const directory = newDirectory();
    const content = randomBytes(5 * MIB + 999);
    const before = await start(directory);
    const location = await create(before, content.length);
    await tusPatchCutOff(location, undefined, 0, content, 3 * MIB + 5);
    const cutAt = await settledOffset(location);
    expect(cutAt).toBeGreaterThan(0);
    await before.close();

    // A new process over the same folder: the state is gone, the bytes and the record are not.
    const after = await start(directory);
    const resumedAt = new URL(new URL(location).pathname, after.url).href;
    const head = await tusHead(resumedAt, '-');
    expect(head.offset).toBe(cutAt);
    // Two PATCHes: the first rebuilds the state from the file, the second finds it in memory.
    const middle = cutAt + Math.floor((content.length - cutAt) / 2);
    expect((await tusPatch(resumedAt, '-', cutAt, content.subarray(cutAt, middle)).done).status).toBe(204);
    expect(after.resumable.rereadBytes()).toBe(cutAt);
    const last = await tusPatch(resumedAt, '-', middle, content.subarray(middle)).done;
    expect(last.status, last.body).toBe(204);
    expectDigestOf(after.finished[0], content);
    expect(after.resumable.rereadBytes()).toBe(cutAt);
  });

  it('a body sent in one request with creation-with-upload is hashed too', async () => {
    const served = await start(newDirectory());
    const content = randomBytes(2 * MIB + 5);
    const answer = await fetch(`${served.url}/uploads`, {
      method: 'POST',
      headers: { 'tus-resumable': '1.0.0', 'upload-length': String(content.length), 'content-type': 'application/offset+octet-stream' },
      body: content,
    });
    expect(answer.status, await answer.text()).toBe(201);
    expect(answer.headers.get('packtrail-media-id')).toBe('done');
    expectDigestOf(served.finished[0], content);
  });
});
