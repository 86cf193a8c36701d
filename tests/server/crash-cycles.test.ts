// kill -9 at a random moment while several multipart and tus uploads run at once, twenty times over
// one DATA_DIR. After every kill and restart: what the server acknowledged is there with its hash,
// nothing partial became media, the SQLite file is intact, and every interrupted tus upload resumes.
// Real child process, real HTTP, real SQLite, real files.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { apiJson, fetchOriginal, paced, setUpCapture, startChildServer, startUpload, type ChildServer } from '../helpers/child-server';
import { inspectDatabase, originalProblem, sha256Of, sha256OfFile, type MediaRecord } from '../helpers/data-dir';
import { chunksOf, pdfDocument } from '../helpers/pdf-file';
import { listFiles, tempDir } from '../helpers/server';
import { tusCreate, tusHead, tusPatch } from '../helpers/tus-client';
import { within } from '../helpers/wait';

const KIB = 1024;
const MIB = 1024 * KIB;
const CYCLES = 20;
const MULTIPART_CLIENTS = 3;
const TUS_CLIENTS = 3;
/** The kill lands somewhere in this window after the clients start (ms). */
const KILL_WINDOW = [100, 1200] as const;
/** A pause after each 64 KiB a client sends, so every upload spends a while mid-body. */
const PACE_MS = 5;

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

/** One file a client tried to upload, and what it was told. */
interface Attempt {
  kind: 'multipart' | 'tus';
  cycle: number;
  sha256: string;
  bytes: number;
  /** Every byte of the file was handed to the server (its answer may still have been lost). */
  wholeSent: boolean;
  /** Set once the server answered 2xx for the whole file: the promise under test. */
  mediaId?: string;
}

interface TusAttempt extends Attempt {
  content: Buffer;
  /** The upload's path, known once the creating POST was answered (the port changes with each restart). */
  location?: string;
  /** The offset of the last PATCH answered 204. */
  ackedOffset: number;
}

interface Load {
  attempts: Attempt[];
  tus: TusAttempt[];
  /** Answers that are neither success nor a broken connection: each one is a defect. */
  unexpected: string[];
  done: Promise<void>;
}

/** Multipart and tus clients that upload file after file until the server stops answering. */
function startLoad(server: ChildServer, token: string, captureId: string, cycle: number): Load {
  const load: Load = { attempts: [], tus: [], unexpected: [], done: Promise.resolve() };
  const agent = new http.Agent({ keepAlive: false });

  async function multipartClient() {
    for (;;) {
      const content = pdfDocument(randomInt(16 * KIB, 1 * MIB));
      const attempt: Attempt = { kind: 'multipart', cycle, sha256: sha256Of(content), bytes: content.length, wholeSent: false };
      load.attempts.push(attempt);
      const upload = startUpload({ url: server.url, token, captureId, chunks: paced(chunksOf(content), { delayMs: PACE_MS }), size: content.length, agent });
      const result = await upload.result;
      attempt.wholeSent = result.sha256 === attempt.sha256;
      if (result.status === 0) return;
      if (result.status !== 201) {
        load.unexpected.push(`multipart upload: ${result.status} ${JSON.stringify(result.body)}`);
        return;
      }
      attempt.mediaId = (result.body as { media: { id: string }[] }).media[0].id;
    }
  }

  async function tusClient() {
    for (;;) {
      const content = pdfDocument(randomInt(64 * KIB, 1536 * KIB));
      const attempt: TusAttempt = { kind: 'tus', cycle, sha256: sha256Of(content), bytes: content.length, wholeSent: false, content, ackedOffset: 0 };
      load.attempts.push(attempt);
      load.tus.push(attempt);
      const created = await tusCreate(server.url, token, { captureId, length: content.length, filename: 'crash.pdf' });
      if (created.status === 0) return;
      if (created.status !== 201 || !created.location) {
        load.unexpected.push(`tus create: ${created.status} ${created.body}`);
        return;
      }
      attempt.location = new URL(created.location).pathname;
      while (attempt.ackedOffset < content.length) {
        const piece = content.subarray(attempt.ackedOffset, attempt.ackedOffset + randomInt(32 * KIB, 512 * KIB));
        const patch = tusPatch(server.url + attempt.location, token, attempt.ackedOffset, piece, { delayMs: PACE_MS });
        const answer = await patch.done;
        if (patch.sentBytes() === piece.length && attempt.ackedOffset + piece.length === content.length) attempt.wholeSent = true;
        if (answer.status === 0) return;
        if (answer.status !== 204 || answer.offset !== attempt.ackedOffset + piece.length) {
          load.unexpected.push(`tus PATCH at ${attempt.ackedOffset}: ${answer.status} offset ${answer.offset} ${answer.body}`);
          return;
        }
        attempt.ackedOffset = answer.offset;
        if (answer.offset === content.length) {
          if (answer.mediaId) attempt.mediaId = answer.mediaId;
          else load.unexpected.push(`tus upload finished without Packtrail-Media-Id: ${JSON.stringify(answer.headers)}`);
        }
      }
    }
  }

  const clients = [...Array.from({ length: MULTIPART_CLIENTS }, multipartClient), ...Array.from({ length: TUS_CLIENTS }, tusClient)];
  load.done = Promise.all(clients).then(() => agent.destroy());
  return load;
}

/** The media item as the API serves it: metadata and the original's bytes both carry `sha256`. */
async function expectServed(server: ChildServer, token: string, mediaId: string, sha256: string, bytes: number, context: string) {
  const info = await apiJson<{ sha256: string; bytes: number }>(server.url, 'GET', `/api/v1/media/${mediaId}`, { token });
  expect(info, context).toMatchObject({ sha256, bytes });
  expect(await fetchOriginal(server.url, token, mediaId), context).toEqual({ status: 200, etag: `"${sha256}"`, sha256, bytes });
}

describe('SIGKILL during concurrent uploads, again and again', () => {
  const dataDir = tempDir('packtrail-crash-cycles-');
  let server: ChildServer | undefined;
  afterAll(async () => {
    await server?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged upload, registers nothing partial, stays intact and resumes tus uploads across ${CYCLES} kill -9 cycles`, async () => {
    const start = () => startChildServer({ dataDir, env: { MAX_DOCUMENT_BYTES: '64MiB', MIN_FREE_DISK_BYTES: '64MiB' } });
    server = await start();
    const { token, captureId } = await setUpCapture(server.url);

    const byHash = new Map<string, Attempt>();
    const checkedRows = new Set<string>();
    const checkedOriginals = new Set<string>();
    const totals = {
      multipartAcknowledged: 0,
      multipartCutOff: 0,
      multipartKeptWithoutAnswer: 0,
      tusFinished: 0,
      tusResumed: 0,
      tusResumedAtTheEnd: 0,
      tusFoundFinished: 0,
      orphanedOriginals: 0,
    };

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const context = `cycle ${cycle}`;
      const load = startLoad(server, token, captureId, cycle);
      const killAfterMs = randomInt(...KILL_WINDOW);
      await sleep(killAfterMs);
      expect(await server.kill(), context).toEqual({ code: null, signal: 'SIGKILL' });
      await within(`${context}: every client to see its answer or a broken connection`, load.done, 20_000);
      expect(load.unexpected, context).toEqual([]);
      for (const attempt of load.attempts) byHash.set(attempt.sha256, attempt);

      // The state the crash left, read without the server: an intact database whose every media row is
      // a whole file some client sent whole, and every acknowledged upload among them.
      const { integrity, media } = inspectDatabase(dataDir);
      expect(integrity, context).toBe('ok');
      const rowsById = new Map(media.map((row) => [row.id, row]));
      const newRows = media.filter((row) => !checkedRows.has(row.id));
      for (const row of newRows) {
        expect(originalProblem(dataDir, row), context).toBeUndefined();
        const attempt = byHash.get(row.sha256);
        expect(attempt, `${context}: media ${row.id} (${row.bytes} bytes) is no file any client sent whole`).toBeDefined();
        expect(attempt!.wholeSent, `${context}: media ${row.id} is a ${attempt!.kind} upload the client never finished sending`).toBe(true);
      }
      const acknowledged = load.attempts.filter((attempt) => attempt.mediaId);
      for (const attempt of acknowledged) {
        expect(rowsById.get(attempt.mediaId!), `${context}: acknowledged ${attempt.kind} upload ${attempt.mediaId}`).toMatchObject({ sha256: attempt.sha256, bytes: attempt.bytes });
      }
      // Registered without the client hearing so: only files whose last byte reached the server.
      const keptWithoutAnswer = newRows.filter((row) => !byHash.get(row.sha256)!.mediaId && byHash.get(row.sha256)!.kind === 'multipart');
      const tusFinished = load.tus.filter((attempt) => attempt.mediaId).length;
      // Every original on disk is whole (named by its hash); one with no row is content a kill cut off
      // between its move into place and the row's commit: never visible, reported by the scrub.
      const rowHashes = new Set(media.map((row) => row.sha256));
      for (const file of listFiles(path.join(dataDir, 'originals'))) {
        const name = path.basename(file);
        if (checkedOriginals.has(name)) continue;
        expect(sha256OfFile(path.join(dataDir, 'originals', file)), `${context}: originals/${file}`).toBe(name);
        checkedOriginals.add(name);
        if (!rowHashes.has(name)) totals.orphanedOriginals += 1;
      }

      server = await start();
      expect(listFiles(path.join(dataDir, 'staging')), `${context}: staging after start-up`).toEqual([]);
      for (const attempt of acknowledged) await expectServed(server, token, attempt.mediaId!, attempt.sha256, attempt.bytes, context);

      // Each tus upload the kill interrupted picks up where the server says it stands.
      const interrupted = load.tus.filter((attempt) => attempt.location && !attempt.mediaId);
      let resumed = 0;
      for (const attempt of interrupted) {
        const head = await tusHead(server.url + attempt.location!, token);
        if (head.status === 404) {
          // Finished and registered, its answer lost to the kill: the upload is media, not lost.
          const row = media.find((each) => each.sha256 === attempt.sha256);
          expect(row, `${context}: tus upload ${attempt.location} is gone but not media (${attempt.wholeSent ? 'all' : 'not all'} bytes were sent)`).toBeDefined();
          attempt.mediaId = row!.id;
          totals.tusFoundFinished += 1;
        } else {
          expect(head.status, `${context}: HEAD ${attempt.location}: ${head.body}`).toBe(200);
          expect(head.length, context).toBe(attempt.bytes);
          expect(head.offset, context).toBeGreaterThanOrEqual(attempt.ackedOffset);
          expect(head.offset, context).toBeLessThanOrEqual(attempt.bytes);
          if (head.offset === attempt.bytes) totals.tusResumedAtTheEnd += 1;
          const rest = await tusPatch(server.url + attempt.location!, token, head.offset!, attempt.content.subarray(head.offset)).done;
          expect(rest.status, `${context}: resuming at ${head.offset} of ${attempt.bytes}: ${rest.body}`).toBe(204);
          expect(rest.mediaId, context).toBeDefined();
          attempt.mediaId = rest.mediaId;
          attempt.wholeSent = true;
          resumed += 1;
        }
        await expectServed(server, token, attempt.mediaId!, attempt.sha256, attempt.bytes, `${context}, resumed tus upload`);
      }
      for (const row of newRows) checkedRows.add(row.id);

      const multipart = load.attempts.filter((attempt) => attempt.kind === 'multipart');
      const cycleTotals = {
        multipartAcknowledged: multipart.filter((attempt) => attempt.mediaId).length,
        multipartCutOff: multipart.filter((attempt) => !attempt.wholeSent).length,
        tusFinished,
        tusResumed: resumed,
      };
      totals.multipartAcknowledged += cycleTotals.multipartAcknowledged;
      totals.multipartCutOff += cycleTotals.multipartCutOff;
      totals.tusFinished += cycleTotals.tusFinished;
      totals.tusResumed += cycleTotals.tusResumed;
      totals.multipartKeptWithoutAnswer += keptWithoutAnswer.length;
      console.log(
        `crash cycle ${cycle}: kill -9 after ${killAfterMs} ms; ` +
          `multipart ${cycleTotals.multipartAcknowledged} acknowledged, ${cycleTotals.multipartCutOff} cut off, ${keptWithoutAnswer.length} kept without an answer; ` +
          `tus ${cycleTotals.tusFinished} finished, ${cycleTotals.tusResumed} resumed`,
      );
    }

    // The whole run: every acknowledged upload is one media row, every row one whole upload.
    expect(await server.stop(), 'graceful stop after the last cycle').toEqual({ code: 0, signal: null });
    const { integrity, media } = inspectDatabase(dataDir);
    expect(integrity).toBe('ok');
    const acknowledged = [...byHash.values()].filter((attempt) => attempt.mediaId);
    const rowsByHash = new Map<string, MediaRecord>(media.map((row) => [row.sha256, row]));
    expect(rowsByHash.size).toBe(media.length);
    for (const attempt of acknowledged) expect(rowsByHash.get(attempt.sha256)?.id).toBe(attempt.mediaId);
    expect(media.length).toBe(acknowledged.length + totals.multipartKeptWithoutAnswer);
    // Not failures, but worth seeing: content a kill left without a row (the scrub's to report) and
    // tus records whose creation was never answered, which expire with UPLOAD_EXPIRY_HOURS.
    const unreferencedOriginals = listFiles(path.join(dataDir, 'originals')).filter((file) => !rowsByHash.has(path.basename(file))).length;
    const uploadsLeft = new Set(listFiles(path.join(dataDir, 'uploads')));
    const records = [...uploadsLeft].filter((file) => file.endsWith('.json')).map((file) => file.slice(0, -'.json'.length));
    const data = [...uploadsLeft].filter((file) => /^[0-9a-f]{32}$/.test(file));
    const leftovers = {
      originalsMiB: Math.round(media.reduce((sum, row) => sum + row.bytes, 0) / MIB),
      unreferencedOriginals,
      tusUploadsNeverAnswered: records.filter((id) => uploadsLeft.has(id)).length,
      tusRecordsWithoutData: records.filter((id) => !uploadsLeft.has(id)).length,
      tusDataWithoutRecord: data.filter((id) => !uploadsLeft.has(`${id}.json`)).length,
      tusHandOverLinks: [...uploadsLeft].filter((file) => file.endsWith('.finished')).length,
    };
    console.log(`crash cycles: ${JSON.stringify({ ...totals, mediaRows: media.length })}; left on disk: ${JSON.stringify(leftovers)}`);
    // The kills must have landed in every phase that matters, or the run proved little.
    expect(totals.multipartAcknowledged).toBeGreaterThan(0);
    expect(totals.multipartCutOff).toBeGreaterThan(0);
    expect(totals.tusFinished).toBeGreaterThan(0);
    expect(totals.tusResumed).toBeGreaterThan(0);
  }, 300_000);
});
