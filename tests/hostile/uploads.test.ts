// POST /api/v1/captures/:id/media under attack: files that lie about their type, polyglots, truncated
// files, decompression bombs, hostile file names, cut-off bodies and every limit. Each case uploads
// into a capture of its own, so what it kept (or did not) can be checked exactly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it, vi } from 'vitest';
import { startUpload } from '../helpers/child-server';
import { anyAnswer, codeOf, expectNoFailures, judged, leftovers, noRequest, refused, runCases, statusAndCode, statusIn, success, type Case, type Expect } from './checks';
import { bearer, limits, type HostileEnv, type Principal } from './fixtures';
import type { HostileResponse } from './http';
import { hostilePayloads, pdfOfSize, pngOfSize, uniquePdf, type Payload } from './payloads';
import { hostileSuite } from './suite';
import { multipart } from './valid-requests';

vi.mock('fastify', async (importOriginal) => (await import('./route-table')).recordingFastify(await importOriginal()));

const suite = hostileSuite('uploads');

interface MediaView {
  id: string;
  mime: string;
  originalName?: string;
}

async function mediaOf(env: HostileEnv, captureId: string): Promise<MediaView[]> {
  return (await env.call<{ media: MediaView[] }>('GET', `/api/v1/captures/${captureId}`, { token: env.principals.owner.token })).media;
}

/** What a kept file must look like when it is served back: its own type, never sniffed into HTML. */
async function servedProblem(env: HostileEnv, media: MediaView, mime: string): Promise<string | undefined> {
  if (media.mime !== mime) return `kept as ${media.mime}, expected ${mime}`;
  const original = await env.client.send({ method: 'GET', path: `/api/v1/media/${media.id}/original`, headers: bearer(env.principals.owner) });
  const type = String(original.headers['content-type'] ?? '');
  if (!type.startsWith(mime)) return `served as ${type}, expected ${mime}`;
  if (original.headers['x-content-type-options'] !== 'nosniff') return 'served without X-Content-Type-Options: nosniff';
  if (/[\r\n]/.test(String(original.headers['content-disposition'] ?? ''))) return 'Content-Disposition holds a line break';
  return undefined;
}

/** Checks the answer and the capture against the payload's verdict. */
function judgePayload(env: HostileEnv, payload: Payload, captureId: () => string): Pick<Case, 'expect' | 'verify'> {
  const { verdict } = payload;
  const expect: Expect =
    'refuse' in verdict
      ? refused(verdict.why, verdict.refuse)
      : 'keep' in verdict
        ? statusIn([201], `kept as ${verdict.keep}`)
        : statusIn([201, ...verdict.orRefuse], `kept as ${verdict.keepAs} or refused`);
  const verify = async (res: HostileResponse) => {
    const media = await mediaOf(env, captureId());
    if (res.status !== 201) return media.length ? `refused with ${res.status}, yet the capture holds ${media.length} media` : undefined;
    if ('refuse' in verdict) return undefined;
    if (media.length !== 1) return `accepted, but the capture holds ${media.length} media`;
    return servedProblem(env, media[0], 'keep' in verdict ? verdict.keep : verdict.keepAs);
  };
  return { expect, verify };
}

/** A case that uploads a multipart body into a fresh capture the caller started, as the owner unless `as` says otherwise. */
function uploadCase(
  env: HostileEnv,
  variant: string,
  build: () => { body: Buffer; contentType: string },
  judge: (captureId: () => string) => Partial<Pick<Case, 'expect' | 'verify'>>,
  { as: principal = env.principals.owner, ...options }: Partial<Case> & { as?: Principal } = {},
): Case {
  let captureId = '';
  return {
    method: 'POST',
    path: '/api/v1/captures/{fresh}/media',
    principal: principal.name,
    variant,
    async prepare() {
      captureId = await env.spare.capture(undefined, principal.token);
      const { body, contentType } = build();
      return { path: `/api/v1/captures/${captureId}/media`, headers: { ...bearer(principal), 'content-type': contentType }, body };
    },
    expect: anyAnswer,
    ...judge(() => captureId),
    ...options,
  };
}

const emptyCapture = (env: HostileEnv) => (captureId: () => string) => ({
  verify: async () => {
    await sleep(100);
    const media = await mediaOf(env, captureId());
    return media.length ? `the capture holds ${media.length} media after a refused or cut-off upload` : undefined;
  },
});

describe('hostile: multipart uploads', () => {
  it('wrong magic, polyglots, truncated files and bombs: refused or kept exactly as their verdict says, served only as their own type', async () => {
    const { env } = suite;
    const cases: Case[] = hostilePayloads().flatMap((payload) =>
      [env.principals.owner, env.principals.device].map((principal) =>
        uploadCase(
          env,
          `${payload.cls}: ${payload.variant}`,
          () => multipart([{ name: payload.filename, bytes: payload.bytes, type: 'image/jpeg' }]),
          (captureId) => judgePayload(env, payload, captureId),
          { as: principal },
        ),
      ),
    );
    expectNoFailures('upload classes', await runCases(env, cases));
  }, 240_000);

  it('hostile file names are kept only as labels: no path, no control characters, nothing written outside DATA_DIR', async () => {
    const { env } = suite;
    const escape = 'hostile-escape-' + process.pid;
    const names = [
      `../../../../../../tmp/${escape}.pdf`,
      `..\\..\\..\\${escape}.pdf`,
      '/etc/passwd',
      'a\u0000b.pdf',
      '<img src=x onerror=alert(1)>.pdf',
      '"quoted" name.pdf',
      `${'n'.repeat(5000)}.pdf`,
      'CON',
      '\u202efdp.exe',
      'tab\tand\u0007bell.pdf',
      '',
      '.',
      '..',
      '%2e%2e%2fescape.pdf',
      '주문 증거 📦.pdf',
      `${escape}/../../x.pdf`,
    ];
    const cases = names.map((name) =>
      uploadCase(env, `file name ${JSON.stringify(name).slice(0, 40)}`, () => multipart([{ name, bytes: uniquePdf() }]), (captureId) => ({
        expect: statusIn([201, 400]),
        verify: async (res) => {
          for (const place of [path.join(os.tmpdir(), `${escape}.pdf`), path.join(env.dataDir, '..', `${escape}.pdf`), path.join(env.dataDir, `${escape}.pdf`)]) {
            if (fs.existsSync(place)) return `a file appeared at ${place}`;
          }
          if (res.status !== 201) return undefined;
          const [media] = await mediaOf(env, captureId());
          if (media?.originalName && /[/\\\u0000-\u001f\u007f]/.test(media.originalName)) return `kept the name ${JSON.stringify(media.originalName)}`;
          return servedProblem(env, media, 'application/pdf');
        },
      })),
    );
    // A line break inside the part header ends the header: the request is malformed, not a name.
    cases.push(uploadCase(env, 'file name with CR LF and a header after it', () => multipart([{ name: 'a.pdf"\r\nContent-Type: text/html\r\nX-Hostile: "1', bytes: uniquePdf() }]), emptyCaptureOr201(env)));
    expectNoFailures('file names', await runCases(env, cases));
  }, 120_000);

  it('bodies cut off at any point leave nothing behind, and the same Idempotency-Key works on the retry', async () => {
    const { env } = suite;
    const big = pdfOfSize(1024 * 1024);
    const form = () => multipart([{ name: 'big.pdf', bytes: big }]);
    const length = form().body.length;
    const cuts: [string, number][] = [
      ['after the headers only', 0],
      ['inside the part header', 60],
      ['after 100 KB of the file', 100 * 1024],
      ['just before the closing boundary', length - 40],
      ['one byte short', length - 1],
    ];
    const cases: Case[] = cuts.map(([variant, bytes]) => {
      const key = `hostile-abort-${Math.random().toString(36).slice(2)}`;
      const c = uploadCase(env, `cut off ${variant}`, form, emptyCapture(env), { abortAfterBytes: bytes, noAnswerOk: true });
      const prepare = c.prepare!;
      let captureId = '';
      c.prepare = async () => {
        const prepared = await prepare();
        captureId = prepared.path!.split('/')[4];
        return { ...prepared, headers: { ...prepared.headers, 'idempotency-key': key } };
      };
      const verifyEmpty = c.verify!;
      c.verify = async (res) => {
        const empty = await verifyEmpty(res);
        if (empty) return empty;
        // The retry of a cut-off upload must not be told "in progress" for ever, nor replay a failure.
        // "In progress" is right until the server has seen the connection drop, which on a busy
        // machine can take a moment after the client gave up: a client retrying a few times gets through.
        const retry = multipart([{ name: 'big.pdf', bytes: big }]);
        const send = () =>
          env.client.send({
            method: 'POST',
            path: `/api/v1/captures/${captureId}/media`,
            headers: { ...bearer(env.principals.owner), 'content-type': retry.contentType, 'idempotency-key': key },
            body: retry.body,
          });
        let again = await send();
        for (let tries = 0; tries < 20 && again.status === 409 && codeOf(again) === 'IDEMPOTENCY_IN_PROGRESS'; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          again = await send();
        }
        return again.status === 201 ? undefined : `the retry with the same Idempotency-Key answered ${again.status} ${codeOf(again) ?? ''}`;
      };
      return c;
    });
    expectNoFailures('cut-off bodies', await runCases(env, cases, 4));
  }, 120_000);

  it('limits: too many files or fields, files over the limit, lying lengths and malformed forms are refused, all or nothing', async () => {
    const { env } = suite;
    const owner = bearer(env.principals.owner);
    const nothingKept = emptyCapture(env);
    const cases: Case[] = [
      uploadCase(env, '21 files (the limit is 20)', () => multipart(Array.from({ length: 21 }, (_, i) => ({ name: `f${i}.pdf`, bytes: uniquePdf() }))), (id) => ({ expect: statusAndCode(413, 'PAYLOAD_TOO_LARGE'), ...nothingKept(id) })),
      uploadCase(env, '25 fields (the limit is 20)', () => multipart([{ name: 'a.pdf', bytes: uniquePdf() }], Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`field${i}`, 'x']))), (id) => ({ expect: refused('too many fields', [400, 413]), ...nothingKept(id) })),
      uploadCase(env, 'a document one byte over its limit', () => multipart([{ name: 'big.pdf', bytes: pdfOfSize(limits.document + 1) }]), (id) => ({ expect: statusAndCode(413, 'PAYLOAD_TOO_LARGE'), ...nothingKept(id) })),
      uploadCase(env, 'a photo over its limit', () => multipart([{ name: 'big.png', bytes: pngOfSize(limits.photo + 1024) }]), (id) => ({ expect: statusAndCode(413, 'PAYLOAD_TOO_LARGE'), ...nothingKept(id) })),
      uploadCase(env, 'a good file, then one over the limit', () => multipart([{ name: 'ok.pdf', bytes: uniquePdf() }, { name: 'big.pdf', bytes: pdfOfSize(limits.document + 1) }]), (id) => ({ expect: statusAndCode(413, 'PAYLOAD_TOO_LARGE'), ...nothingKept(id) })),
      uploadCase(env, 'a caption of 20,000 characters', () => multipart([{ name: 'a.pdf', bytes: uniquePdf() }], { caption: 'c'.repeat(20_000) }), (id) => ({ expect: refused('caption too long', [400, 413]), ...nothingKept(id) })),
      uploadCase(env, 'a caption of 501 characters', () => multipart([{ name: 'a.pdf', bytes: uniquePdf() }], { caption: 'c'.repeat(501) }), (id) => ({ expect: statusAndCode(400, 'VALIDATION_FAILED'), ...nothingKept(id) })),
      uploadCase(env, 'capturedAt "yesterday"', () => multipart([{ name: 'a.pdf', bytes: uniquePdf() }], { capturedAt: 'yesterday' }), (id) => ({ expect: statusAndCode(400, 'VALIDATION_FAILED'), ...nothingKept(id) })),
      uploadCase(env, 'capturedAt month 13', () => multipart([{ name: 'a.pdf', bytes: uniquePdf() }], { capturedAt: '2026-13-45T99:99:99Z' }), (id) => ({ expect: statusAndCode(400, 'VALIDATION_FAILED'), ...nothingKept(id) })),
      uploadCase(env, 'capturedAt with a NUL', () => multipart([{ name: 'a.pdf', bytes: uniquePdf() }], { capturedAt: '2026-05-01T05:03:12Z\u0000' }), (id) => ({ expect: statusAndCode(400, 'VALIDATION_FAILED'), ...nothingKept(id) })),
      uploadCase(env, 'a file part named "photo"', () => multipart([{ name: 'a.pdf', bytes: uniquePdf(), field: 'photo' }]), (id) => ({ expect: statusAndCode(400, 'VALIDATION_FAILED'), ...nothingKept(id) })),
      uploadCase(env, 'no parts at all', () => ({ body: Buffer.from('------hostile0--\r\n'), contentType: 'multipart/form-data; boundary=----hostile0' }), (id) => ({ expect: statusIn([400]), ...nothingKept(id) })),
      uploadCase(env, 'a boundary that never comes', () => ({ body: uniquePdf(), contentType: 'multipart/form-data; boundary=never-there' }), (id) => ({ expect: statusIn([400]), ...nothingKept(id) })),
      uploadCase(env, 'multipart without a boundary', () => ({ body: uniquePdf(), contentType: 'multipart/form-data' }), (id) => ({ expect: refused('no boundary', [400, 415]), ...nothingKept(id) })),
      uploadCase(env, 'the file sent as JSON', () => ({ body: Buffer.from(JSON.stringify({ file: uniquePdf().toString('base64') })), contentType: 'application/json' }), (id) => ({ expect: statusAndCode(415, 'UNSUPPORTED_MEDIA_TYPE'), ...nothingKept(id) })),
      uploadCase(env, 'the file sent raw', () => ({ body: uniquePdf(), contentType: 'application/pdf' }), (id) => ({ expect: statusAndCode(415, 'UNSUPPORTED_MEDIA_TYPE'), ...nothingKept(id) })),
      uploadCase(env, 'an Idempotency-Key of 300 characters', () => multipart([{ name: 'a.pdf', bytes: uniquePdf() }]), (id) => ({ expect: statusAndCode(400, 'VALIDATION_FAILED'), ...nothingKept(id) }), { headers: { 'idempotency-key': 'k'.repeat(300) } }),
      uploadCase(env, 'an Idempotency-Key with spaces', () => multipart([{ name: 'a.pdf', bytes: uniquePdf() }]), (id) => ({ expect: statusAndCode(400, 'VALIDATION_FAILED'), ...nothingKept(id) }), { headers: { 'idempotency-key': 'has spaces in it' } }),
      {
        method: 'POST',
        path: '/api/v1/captures/{fresh}/media',
        principal: 'owner',
        variant: 'Content-Length claims 10 TB',
        prepare: async () => {
          const form = multipart([{ name: 'a.pdf', bytes: uniquePdf() }]);
          return { path: `/api/v1/captures/${await env.spare.capture()}/media`, headers: { ...owner, 'content-type': form.contentType, 'content-length': 10 * 1024 ** 4 }, body: form.body };
        },
        timeoutMs: 10_000,
        expect: refused('the declared length is over any limit', [400, 413]),
      },
      {
        method: 'POST',
        path: '/api/v1/captures/{id}/media',
        principal: 'owner',
        variant: 'an unknown capture',
        prepare: async () => {
          const form = multipart([{ name: 'a.pdf', bytes: uniquePdf() }]);
          return { path: `/api/v1/captures/00000000-0000-4000-8000-000000000000/media`, headers: { ...owner, 'content-type': form.contentType }, body: form.body };
        },
        expect: statusAndCode(404, 'NOT_FOUND'),
      },
      uploadCase(env, 'into a finished capture', () => multipart([{ name: 'a.pdf', bytes: uniquePdf() }]), (id) => ({ expect: statusAndCode(409, 'CAPTURE_FINISHED'), ...nothingKept(id) })),
    ];
    // The finished-capture case finishes its capture before sending.
    const finished = cases.at(-1)!;
    const prepareFinished = finished.prepare!;
    finished.prepare = async () => {
      const prepared = await prepareFinished();
      await env.call('POST', `${prepared.path!.replace(/\/media$/, '')}/finish`, { token: env.principals.owner.token, expect: 200 });
      return prepared;
    };

    // A Content-Length shorter than the body: the rest arrives as a second, garbage request on the same connection.
    const short = multipart([{ name: 'a.pdf', bytes: uniquePdf() }]);
    const shortCapture = await env.spare.capture();
    cases.push({
      method: 'POST',
      path: `/api/v1/captures/${shortCapture}/media`,
      principal: 'owner',
      variant: 'Content-Length shorter than the body (raw)',
      raw: Buffer.concat([
        Buffer.from(
          `POST /api/v1/captures/${shortCapture}/media HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${env.principals.owner.token}\r\n` +
            `Content-Type: ${short.contentType}\r\nContent-Length: 200\r\nConnection: close\r\n\r\n`,
        ),
        short.body,
      ]),
      expect: statusIn([400]),
      verify: async () => ((await mediaOf(env, shortCapture)).length ? 'a file was kept from a body cut by its own Content-Length' : undefined),
    });
    expectNoFailures('limits', await runCases(env, cases, 4));
  }, 180_000);

  it('an Idempotency-Key reused with a different file is refused, not answered with the first upload', async () => {
    const { env } = suite;
    const cases: Case[] = [];
    for (let i = 0; i < 3; i++) {
      let captureId = '';
      const key = `hostile-key-${i}-${Math.random().toString(36).slice(2)}`;
      const first = uniquePdf();
      cases.push({
        method: 'POST',
        path: '/api/v1/captures/{fresh}/media',
        principal: 'device',
        variant: `same key, different file #${i + 1}`,
        async prepare() {
          captureId = await env.spare.capture(undefined, env.principals.device.token);
          const form = multipart([{ name: 'first.pdf', bytes: first }]);
          const headers = { ...bearer(env.principals.device), 'idempotency-key': key };
          const answer = await env.client.send({ method: 'POST', path: `/api/v1/captures/${captureId}/media`, headers: { ...headers, 'content-type': form.contentType }, body: form.body });
          if (answer.status !== 201) throw new Error(`the first upload answered ${answer.status}`);
          const second = multipart([{ name: 'second.pdf', bytes: uniquePdf() }]);
          return { path: `/api/v1/captures/${captureId}/media`, headers: { ...headers, 'content-type': second.contentType }, body: second.body };
        },
        expect: statusAndCode(409, 'IDEMPOTENCY_KEY_REUSED'),
        verify: async () => {
          const media = await mediaOf(env, captureId);
          return media.length === 1 ? undefined : `the capture holds ${media.length} media`;
        },
      });
    }
    // The control: the same key with the same file replays the first answer.
    let replayCapture = '';
    const same = uniquePdf();
    const key = `hostile-key-same-${Math.random().toString(36).slice(2)}`;
    let firstId = '';
    cases.push({
      method: 'POST',
      path: '/api/v1/captures/{fresh}/media',
      principal: 'device',
      variant: 'same key, same file (a retry)',
      async prepare() {
        replayCapture = await env.spare.capture(undefined, env.principals.device.token);
        const form = multipart([{ name: 'same.pdf', bytes: same }]);
        const headers = { ...bearer(env.principals.device), 'idempotency-key': key, 'content-type': form.contentType };
        const answer = await env.client.send({ method: 'POST', path: `/api/v1/captures/${replayCapture}/media`, headers, body: form.body });
        firstId = (JSON.parse(answer.body.toString('utf8')) as { media: { id: string }[] }).media[0].id;
        return { path: `/api/v1/captures/${replayCapture}/media`, headers, body: form.body };
      },
      expect: success,
      verify: async (res) => {
        const id = (JSON.parse(res.body.toString('utf8')) as { media: { id: string }[] }).media?.[0]?.id;
        return id === firstId ? undefined : 'the retry did not answer with the first upload';
      },
    });
    expectNoFailures('idempotency', await runCases(env, cases));
  }, 60_000);

  it('finishing a capture while an upload into it is in flight leaves no original without a media row', async () => {
    const { env } = suite;
    const outcomes = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const captureId = await env.spare.capture();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const chunks = (async function* () {
        const file = pdfOfSize(512 * 1024);
        yield file.subarray(0, 64 * 1024);
        await gate;
        yield file.subarray(64 * 1024);
      })();
      const upload = startUpload({ url: env.url, token: env.principals.owner.token!, captureId, chunks, filename: 'race.pdf' });
      while (upload.sentBytes < 64 * 1024) await sleep(10);
      await sleep(50);
      await env.call('POST', `/api/v1/captures/${captureId}/finish`, { token: env.principals.owner.token, expect: 200 });
      release();
      const result = await upload.result;
      const res: HostileResponse = { status: result.status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(result.body ?? '')), bodyBytes: 0, ms: 0 };
      const label = { method: 'POST', path: `/api/v1/captures/${captureId}/media`, principal: 'owner', variant: `finished mid-upload #${attempt}` };
      env.answers.push({ ...label, res });
      const media = await mediaOf(env, captureId);
      const problem =
        result.status >= 500
          ? `server error ${result.status}`
          : result.status === 201
            ? media.length === 1
              ? undefined
              : `accepted, yet the capture holds ${media.length} media`
            : result.status === 409
              ? media.length === 0
                ? undefined
                : 'refused, yet the capture holds media'
              : `expected 409 CAPTURE_FINISHED (or 201 if the upload was in first), got ${result.status}`;
      outcomes.push(judged(env, label, res, problem));
    }
    await sleep(200);
    const orphans = leftovers(env).filter((file) => file.startsWith('originals/'));
    const label = { method: 'POST', path: '/api/v1/captures/{finished mid-upload}/media', principal: 'owner', variant: 'originals afterwards' };
    outcomes.push(judged(env, label, noRequest, orphans.length ? `${orphans.length} originals on disk with no media row, e.g. ${orphans[0]}` : undefined));
    expectNoFailures('finish during an upload', outcomes);
  }, 120_000);

  suite.afterRun();
});

/** For a request the multipart parser must refuse: 400, or a 201 that keeps only a PDF. */
function emptyCaptureOr201(env: HostileEnv) {
  return (captureId: () => string): Pick<Case, 'expect' | 'verify'> => ({
    expect: statusIn([201, 400]),
    verify: async (res) => {
      const media = await mediaOf(env, captureId());
      if (res.status !== 201) return media.length ? 'refused, yet the capture holds media' : undefined;
      return media.length === 1 ? servedProblem(env, media[0], 'application/pdf') : `the capture holds ${media.length} media`;
    },
  });
}
