// What a 201 promises: acknowledged uploads survive kill -9, half-received ones never become media,
// and a graceful stop lets an upload in flight finish. Real child process, real HTTP, real SQLite.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  apiJson, fetchOriginal, paced, partFilesInProgress, pdfChunks, setUpCapture, startChildServer, startUpload,
  type ChildServer, type Upload,
} from '../helpers/child-server';
import { listFiles, tempDir } from '../helpers/server';
import { waitFor, within } from '../helpers/wait';

const KIB = 1024;
const MIB = 1024 * KIB;
const env = { MAX_DOCUMENT_BYTES: '2GiB' };

interface MediaItem {
  id: string;
  sha256: string;
  bytes: number;
}

function integrityCheck(dataDir: string): string {
  const db = new Database(path.join(dataDir, 'packtrail.sqlite'), { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** Every file under originals/ must be whole: its name is the SHA-256 of its bytes. */
function misnamedOriginals(dataDir: string): string[] {
  const originals = path.join(dataDir, 'originals');
  return listFiles(originals).filter((file) => {
    const hash = createHash('sha256').update(fs.readFileSync(path.join(originals, file))).digest('hex');
    return path.basename(file) !== hash;
  });
}

describe('crash safety of uploads', () => {
  const servers: ChildServer[] = [];
  const start = async (dataDir: string) => {
    const server = await startChildServer({ dataDir, env });
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    const stopped = servers.splice(0);
    await Promise.all(stopped.map((server) => server.kill()));
    // Each test leaves up to a hundred megabytes of originals behind.
    for (const dataDir of new Set(stopped.map((server) => server.dataDir))) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged upload and no half-received one when the server is killed with SIGKILL mid-upload', async () => {
    const dataDir = tempDir('packtrail-crash-');
    const first = await start(dataDir);
    const { token, captureId } = await setUpCapture(first.url);

    // Files that run at full speed finish one after another; held ones stop part-way until after the kill,
    // so there is always an upload mid-body when the process dies, however fast or slow the box is.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fastSizes = [64 * KIB, 256 * KIB, 512 * KIB, 1 * MIB, 2 * MIB, 4 * MIB, 8 * MIB, 16 * MIB, 24 * MIB];
    const held = [
      { size: 6 * MIB, holdAfterBytes: 1 * MIB },
      { size: 12 * MIB, holdAfterBytes: 3 * MIB },
      { size: 24 * MIB, holdAfterBytes: 5 * MIB },
    ];
    const upload = (size: number, chunks: Iterable<Buffer> | AsyncIterable<Buffer>) =>
      startUpload({ url: first.url, token, captureId, chunks, size });
    const fast = fastSizes.map((size) => upload(size, paced(pdfChunks(size), {})));
    const holding = held.map(({ size, holdAfterBytes }) => upload(size, paced(pdfChunks(size), { holdAfterBytes, gate })));
    const all: Upload[] = [...fast, ...holding];

    const acknowledgedBeforeKill = 4;
    const acknowledged: { sha256: string; media: MediaItem }[] = [];
    for (const each of all) {
      void each.result.then((result) => {
        if (result.status === 201) acknowledged.push({ sha256: result.sha256!, media: (result.body as { media: MediaItem[] }).media[0] });
      });
    }
    await waitFor(
      `${acknowledgedBeforeKill} uploads acknowledged while a held one is mid-body`,
      () =>
        acknowledged.length >= acknowledgedBeforeKill &&
        holding.every((each) => each.phase === 'sending' && each.sentBytes > 0) &&
        partFilesInProgress(dataDir) > 0,
      30_000,
    );
    const killed = await first.kill();
    expect(killed.signal).toBe('SIGKILL');
    release();
    const results = await within('every client to see its answer or a broken connection', Promise.all(all.map((each) => each.result)), 15_000);

    // The clients' view: what was promised, and what was never sent whole.
    expect(acknowledged.length).toBeGreaterThanOrEqual(acknowledgedBeforeKill);
    expect(results.filter((result) => result.status !== 201).length).toBeGreaterThanOrEqual(held.length);
    for (const result of results) expect([0, 201]).toContain(result.status);
    for (const { sha256, media } of acknowledged) expect(media.sha256).toBe(sha256);
    const wholeFilesSent = new Set(results.flatMap((result) => (result.sha256 ? [result.sha256] : [])));
    expect(partFilesInProgress(dataDir)).toBeGreaterThan(0); // the crash left half-written staging files behind

    const second = await start(dataDir);
    for (const { sha256, media } of acknowledged) {
      const info = await apiJson<MediaItem>(second.url, 'GET', `/api/v1/media/${media.id}`, { token });
      expect(info.sha256).toBe(sha256);
      expect(await fetchOriginal(second.url, token, media.id)).toEqual({ status: 200, etag: `"${sha256}"`, sha256, bytes: media.bytes });
    }

    // Every media row the capture lists, acknowledged or not, is a whole file that a client sent whole.
    const capture = await apiJson<{ media: MediaItem[] }>(second.url, 'GET', `/api/v1/captures/${captureId}`, { token });
    expect(capture.media.map((media) => media.id)).toEqual(expect.arrayContaining(acknowledged.map(({ media }) => media.id)));
    for (const media of capture.media) {
      expect(wholeFilesSent.has(media.sha256)).toBe(true);
      expect(await fetchOriginal(second.url, token, media.id)).toMatchObject({ status: 200, sha256: media.sha256, bytes: media.bytes });
    }
    expect(listFiles(path.join(dataDir, 'staging'))).toEqual([]);
    expect(misnamedOriginals(dataDir)).toEqual([]);

    expect(await second.stop()).toEqual({ code: 0, signal: null });
    expect(integrityCheck(dataDir)).toBe('ok');
  });

  /** Starts a slow upload (about 4 MiB, a pause after each 64 KiB) and sends SIGTERM once the server is writing it. */
  async function stopDuringSlowUpload(server: ChildServer, agent: http.Agent) {
    const { token, captureId } = await setUpCapture(server.url);
    const size = 4 * MIB;
    const slow = startUpload({ url: server.url, token, captureId, chunks: paced(pdfChunks(size), { delayMs: 15 }), size, agent });
    await waitFor('the server to be writing the slow upload', () => slow.sentBytes >= 512 * KIB && partFilesInProgress(server.dataDir) > 0, 20_000);
    expect(slow.phase).toBe('sending');
    const stopped = server.stop(30_000);
    const result = await within('the slow upload to finish', slow.result, 30_000);
    return { token, size, result, stopped };
  }

  // Docker gives a container this long between SIGTERM and SIGKILL.
  const stopGraceMs = 10_000;

  it('finishes an upload in flight when stopped with SIGTERM, exits 0, and serves the file after restart', async () => {
    const dataDir = tempDir('packtrail-graceful-');
    const first = await start(dataDir);
    const { token, size, result, stopped } = await stopDuringSlowUpload(first, new http.Agent({ keepAlive: false }));
    expect(result.status).toBe(201);
    const [media] = (result.body as { media: MediaItem[] }).media;
    expect(media).toMatchObject({ sha256: result.sha256, bytes: size });
    expect(await within('the server to exit', stopped, stopGraceMs)).toEqual({ code: 0, signal: null });

    const second = await start(dataDir);
    expect(await fetchOriginal(second.url, token, media.id)).toEqual({ status: 200, etag: `"${result.sha256}"`, sha256: result.sha256, bytes: size });
    expect(listFiles(path.join(dataDir, 'staging'))).toEqual([]);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
    expect(integrityCheck(dataDir)).toBe('ok');
  });

  // Browsers keep connections alive: one that goes idle after close() began must not hold the exit
  // until the client or the 72 s keep-alive timeout drops it.
  it('exits soon after the upload in flight is answered even when the client keeps its connection alive', async () => {
    const first = await start(tempDir('packtrail-graceful-'));
    const browserLike = new http.Agent({ keepAlive: true });
    try {
      const { result, stopped } = await stopDuringSlowUpload(first, browserLike);
      expect(result.status).toBe(201);
      expect(await within('the server to exit', stopped, stopGraceMs)).toEqual({ code: 0, signal: null });
    } finally {
      browserLike.destroy();
    }
  });

  // A download already streaming at SIGTERM got its headers before Connection: close was added; its
  // keep-alive connection goes idle afterwards and must still be closed, or it holds the exit.
  it('exits soon after a download that was streaming at SIGTERM ends, even on a keep-alive connection', async () => {
    const server = await start(tempDir('packtrail-graceful-'));
    const { token, captureId } = await setUpCapture(server.url);
    const size = 16 * MIB;
    const upload = await startUpload({ url: server.url, token, captureId, chunks: pdfChunks(size), size, agent: new http.Agent({ keepAlive: false }) }).result;
    const [media] = (upload.body as { media: MediaItem[] }).media;
    const browserLike = new http.Agent({ keepAlive: true });
    try {
      const downloaded = new Promise<number>((resolve, reject) => {
        const request = http.get(`${server.url}/api/v1/media/${media.id}/original`, { agent: browserLike, headers: { authorization: `Bearer ${token}` } }, (response) => {
          response.pause();
          // The answer's headers are out; stop the server while its body is still to be read.
          void server.stop(30_000);
          setTimeout(() => {
            let bytes = 0;
            response.on('data', (chunk: Buffer) => (bytes += chunk.length));
            response.once('end', () => resolve(bytes));
            response.resume();
          }, 200);
        });
        request.once('error', reject);
      });
      expect(await within('the download to finish', downloaded, 20_000)).toBe(size);
      expect(await within('the server to exit', server.exited, stopGraceMs)).toEqual({ code: 0, signal: null });
    } finally {
      browserLike.destroy();
    }
  });
});
