// tus at /api/v1/uploads misused: protocol headers wrong or missing, lengths out of range, metadata
// forged, offsets wrong, and above all another caller's upload reached, directly or through the
// query-string trick (PATCH /uploads/OWN?x=/VICTIM). The victim's upload must come through untouched.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { describe, it, vi } from 'vitest';
import { setUpCapture, startChildServer } from '../helpers/child-server';
import { tempDir } from '../helpers/server';
import {
  anyAnswer, codeOf, expectNoFailures, judged, refused, REFUSED, runCases, statusAndCode, statusIn, type Case, type Expect, type Outcome,
} from './checks';
import { b64, bearer, maxUnfinishedUploads, tusMax, tusMetadata, uploadIdFrom, type HostileEnv } from './fixtures';
import { createClient, rawRequest, type HostileResponse } from './http';
import { hostilePayloads, pdfOfSize } from './payloads';
import { hostileSuite } from './suite';

vi.mock('fastify', async (importOriginal) => (await import('./route-table')).recordingFastify(await importOriginal()));

const suite = hostileSuite('tus');
const TUS = { 'tus-resumable': '1.0.0' };
const BYTES = { 'content-type': 'application/offset+octet-stream' };

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function patch(env: HostileEnv, token: string, id: string, offset: number, body: Buffer): Promise<HostileResponse> {
  return env.client.send({ method: 'PATCH', path: `/api/v1/uploads/${id}`, headers: { ...auth(token), ...TUS, ...BYTES, 'upload-offset': offset }, body });
}

async function head(env: HostileEnv, token: string, id: string): Promise<HostileResponse> {
  return env.client.send({ method: 'HEAD', path: `/api/v1/uploads/${id}`, headers: { ...auth(token), ...TUS } });
}

async function mediaCount(env: HostileEnv, captureId: string): Promise<number> {
  return (await env.call<{ media: unknown[] }>('GET', `/api/v1/captures/${captureId}`, { token: env.principals.owner.token })).media.length;
}

/** A victim's half-done upload and an attacker's own upload, both fresh, each into a capture its caller started. */
async function victimAndAttacker(env: HostileEnv, attackerToken: string) {
  const victim = env.principals.device;
  const file = pdfOfSize(1000);
  const captureId = await env.spare.capture(undefined, victim.token!);
  const vic = await env.spare.upload(victim.token!, { length: file.length, captureId });
  const first = await patch(env, victim.token!, vic, 0, file.subarray(0, 100));
  if (first.status !== 204) throw new Error(`the victim's first PATCH answered ${first.status}`);
  const own = await env.spare.upload(attackerToken, { length: file.length, captureId: await env.spare.capture(undefined, attackerToken) });
  return { vic, own, file, captureId, victimToken: victim.token! };
}

/** The victim's upload is as the victim left it: there, 100 bytes in, nothing forged into its capture. */
async function victimUntouched(env: HostileEnv, scene: Awaited<ReturnType<typeof victimAndAttacker>>): Promise<string | undefined> {
  const state = await head(env, scene.victimToken, scene.vic);
  if (state.status !== 200) return `the victim's upload answers HEAD with ${state.status}: it was terminated or taken`;
  if (state.headers['upload-offset'] !== '100') return `the victim's upload is at offset ${String(state.headers['upload-offset'])}, not 100`;
  const count = await mediaCount(env, scene.captureId);
  return count ? `${count} media landed in the victim's capture` : undefined;
}

/** Checks the victim's upload, then both sides cancel theirs, as phones would that gave up. */
async function victimUntouchedThenCancel(env: HostileEnv, scene: Awaited<ReturnType<typeof victimAndAttacker>>): Promise<string | undefined> {
  const problem = await victimUntouched(env, scene);
  await Promise.all([env.cancelUpload(scene.vic), env.cancelUpload(scene.own)]);
  return problem;
}

describe('hostile: tus uploads', () => {
  it("another caller's upload cannot be read, continued or cancelled, directly or through the URL", async () => {
    const { env } = suite;
    const attacker = await env.spare.device();
    const tricks: [string, (own: string, vic: string) => string][] = [
      ['the victim ID directly', (_own, vic) => `/api/v1/uploads/${vic}`],
      ['?x=/VICTIM', (own, vic) => `/api/v1/uploads/${own}?x=/${vic}`],
      ['?/VICTIM', (own, vic) => `/api/v1/uploads/${own}?/${vic}`],
      ['?x=%2FVICTIM', (own, vic) => `/api/v1/uploads/${own}?x=%2F${vic}`],
      ['trailing slash then ?x=/VICTIM', (own, vic) => `/api/v1/uploads/${own}/?x=/${vic}`],
      ['?x=/../VICTIM', (own, vic) => `/api/v1/uploads/${own}?x=/../${vic}`],
      ['#/VICTIM', (own, vic) => `/api/v1/uploads/${own}#/${vic}`],
      [';/VICTIM', (own, vic) => `/api/v1/uploads/${own};/${vic}`],
      ['%2F..%2FVICTIM', (own, vic) => `/api/v1/uploads/${own}%2F..%2F${vic}`],
    ];
    const cases: Case[] = [];
    for (const [variant, url] of tricks) {
      for (const method of ['HEAD', 'PATCH', 'DELETE']) {
        let scene: Awaited<ReturnType<typeof victimAndAttacker>>;
        const direct = variant === 'the victim ID directly';
        // Reaching the attacker's own upload instead is fine; reaching the victim's is not.
        const expect: Expect = direct
          ? statusIn([403], "another caller's upload")
          : method === 'PATCH'
            ? refused('the bytes are for offset 100 of an upload the caller does not own', REFUSED.concat(403))
            : method === 'HEAD'
              ? (res) => (res.status === 200 && res.headers['upload-offset'] !== '0' ? `HEAD answered offset ${String(res.headers['upload-offset'])}: the victim's, not the caller's 0` : undefined)
              : anyAnswer;
        cases.push({
          method,
          path: `/api/v1/uploads/OWN${url('', 'VICTIM').replace('/api/v1/uploads/', '')}`,
          principal: 'other device',
          variant,
          async prepare() {
            scene = await victimAndAttacker(env, attacker.token);
            const body = method === 'PATCH' ? scene.file.subarray(100) : undefined;
            const headers = { ...auth(attacker.token), ...TUS, ...(method === 'PATCH' ? { ...BYTES, 'upload-offset': 100 } : {}) };
            return { path: url(scene.own, scene.vic), headers, body };
          },
          expect: (res) => (res.headers['packtrail-media-id'] ? `a media item ${String(res.headers['packtrail-media-id'])} was made from forged bytes` : expect(res)),
          verify: () => victimUntouchedThenCancel(env, scene),
        });
      }
    }
    // Method override headers and upload concatenation are other ways to name an upload.
    for (const override of ['DELETE', 'PATCH']) {
      let scene: Awaited<ReturnType<typeof victimAndAttacker>>;
      cases.push({
        method: 'POST',
        path: '/api/v1/uploads?x=/VICTIM',
        principal: 'other device',
        variant: `X-HTTP-Method-Override: ${override}`,
        async prepare() {
          scene = await victimAndAttacker(env, attacker.token);
          const headers = {
            ...auth(attacker.token), ...TUS, 'x-http-method-override': override, 'upload-offset': 100, ...BYTES,
            'upload-length': 200, 'upload-metadata': tusMetadata({ captureId: await env.spare.ownCapture(attacker.token) }),
          };
          return { path: `/api/v1/uploads?x=/${scene.vic}`, headers, body: scene.file.subarray(100) };
        },
        expect: anyAnswer,
        verify: () => victimUntouchedThenCancel(env, scene),
      });
    }
    let concatScene: Awaited<ReturnType<typeof victimAndAttacker>>;
    cases.push({
      method: 'POST',
      path: '/api/v1/uploads',
      principal: 'other device',
      variant: "Upload-Concat: final of the victim's upload",
      async prepare() {
        concatScene = await victimAndAttacker(env, attacker.token);
        return {
          headers: { ...auth(attacker.token), ...TUS, 'upload-concat': `final;/api/v1/uploads/${concatScene.vic} /api/v1/uploads/${concatScene.own}`, 'upload-metadata': tusMetadata({ captureId: await env.spare.ownCapture(attacker.token) }) },
        };
      },
      expect: refused("concatenation would read another caller's bytes", REFUSED.concat(403)),
      verify: () => victimUntouchedThenCancel(env, concatScene),
    });
    // The owner of the shop is not the owner of a device's upload either.
    for (const method of ['HEAD', 'PATCH', 'DELETE']) {
      // One scene per case: cases run side by side.
      let ownerScene: Awaited<ReturnType<typeof victimAndAttacker>>;
      cases.push({
        method,
        path: '/api/v1/uploads/VICTIM',
        principal: 'owner',
        variant: "a device's upload",
        async prepare() {
          ownerScene = await victimAndAttacker(env, env.principals.owner.token!);
          return { path: `/api/v1/uploads/${ownerScene.vic}`, headers: { ...bearer(env.principals.owner), ...TUS, ...(method === 'PATCH' ? { ...BYTES, 'upload-offset': 100 } : {}) }, body: method === 'PATCH' ? ownerScene.file.subarray(100) : undefined };
        },
        expect: statusIn([403]),
        verify: () => victimUntouchedThenCancel(env, ownerScene),
      });
    }
    const outcomes = await runCases(env, cases, 4);

    // And after all that, the victim finishes its upload: its own bytes, recorded as its own.
    const scene = await victimAndAttacker(env, attacker.token);
    const done = await patch(env, scene.victimToken, scene.vic, 100, scene.file.subarray(100));
    const mediaId = String(done.headers['packtrail-media-id'] ?? '');
    let problem: string | undefined = done.status === 204 && mediaId ? undefined : `the victim's last PATCH answered ${done.status} ${codeOf(done) ?? ''}`;
    if (!problem) {
      const media = await env.call<{ sha256: string }>('GET', `/api/v1/media/${mediaId}`, { token: env.principals.owner.token });
      const custody = await env.call<{ items: { action: string; actorId: string }[] }>('GET', `/api/v1/media/${mediaId}/custody`, { token: env.principals.owner.token });
      if (media.sha256 !== createHash('sha256').update(scene.file).digest('hex')) problem = "the stored bytes are not the victim's";
      else if (!custody.items.some((event) => event.action === 'upload' && event.actorId === env.principals.device.id)) problem = 'custody does not name the victim as the uploader';
    }
    outcomes.push(judged(env, { method: 'PATCH', path: '/api/v1/uploads/VICTIM', principal: 'device', variant: 'the victim completes its upload', htmlErrors: false }, done, problem));
    await env.cancelUpload(scene.own);
    expectNoFailures('tus ownership', outcomes);
  }, 240_000);

  it('creation: missing or wrong protocol headers, lengths out of range and forged metadata are refused, never a 5xx', async () => {
    const { env } = suite;
    const owner = bearer(env.principals.owner);
    const capture = env.world.captureId;
    const finished = await env.spare.capture();
    await env.call('POST', `/api/v1/captures/${finished}/finish`, { token: env.principals.owner.token, expect: 200 });
    const meta = tusMetadata({ captureId: capture, filename: 'a.pdf' });
    const create = (variant: string, headers: Record<string, string | number>, expect: Expect, extra: Partial<Case> = {}): Case => ({
      method: 'POST',
      path: '/api/v1/uploads',
      principal: 'owner',
      variant,
      headers: { ...owner, ...headers },
      expect,
      ...extra,
    });
    const tooLarge = statusAndCode(413, 'PAYLOAD_TOO_LARGE', 'over the largest upload allowed');
    const bad = refused('not a valid tus creation', [400]);
    const cases: Case[] = [
      create('no Tus-Resumable', { 'upload-length': 10, 'upload-metadata': meta }, statusAndCode(412, 'TUS_VERSION_REQUIRED')),
      create('Tus-Resumable 0.2.2', { 'tus-resumable': '0.2.2', 'upload-length': 10, 'upload-metadata': meta }, refused('unsupported version', [400, 412])),
      create('Upload-Length -1', { ...TUS, 'upload-length': '-1', 'upload-metadata': meta }, bad),
      create('Upload-Length abc', { ...TUS, 'upload-length': 'abc', 'upload-metadata': meta }, bad),
      create('Upload-Length 1.5', { ...TUS, 'upload-length': '1.5', 'upload-metadata': meta }, bad),
      create('Upload-Length 1e3', { ...TUS, 'upload-length': '1e3', 'upload-metadata': meta }, bad),
      create('Upload-Length 0x10', { ...TUS, 'upload-length': '0x10', 'upload-metadata': meta }, bad),
      create('Upload-Length empty', { ...TUS, 'upload-length': '', 'upload-metadata': meta }, bad),
      create('Upload-Length 2^63', { ...TUS, 'upload-length': '9223372036854775808', 'upload-metadata': meta }, tooLarge),
      create('Upload-Length 1 TB', { ...TUS, 'upload-length': String(1024 ** 4), 'upload-metadata': meta }, tooLarge),
      create('Upload-Length one byte over the limit', { ...TUS, 'upload-length': tusMax + 1, 'upload-metadata': meta }, tooLarge),
      create('Upload-Length of 26 digits', { ...TUS, 'upload-length': '99999999999999999999999999', 'upload-metadata': meta }, refused('over any limit', [400, 413])),
      create('neither Upload-Length nor Upload-Defer-Length', { ...TUS, 'upload-metadata': meta }, bad),
      create('Upload-Defer-Length 2', { ...TUS, 'upload-defer-length': 2, 'upload-metadata': meta }, bad),
      create('Upload-Length and Upload-Defer-Length', { ...TUS, 'upload-length': 10, 'upload-defer-length': 1, 'upload-metadata': meta }, bad),
      create('Upload-Defer-Length 1 (allowed: the length comes later)', { ...TUS, 'upload-defer-length': 1, 'upload-metadata': meta }, statusIn([201, 400, 412])),
      create('Upload-Length 0: an empty file', { ...TUS, 'upload-length': 0, 'upload-metadata': meta }, refused('an empty file is no evidence', [400, 415, 422])),
      create('Upload-Concat partial', { ...TUS, 'upload-concat': 'partial', 'upload-length': 10, 'upload-metadata': meta }, anyAnswer),
      create('Upload-Concat garbage', { ...TUS, 'upload-concat': 'garbage', 'upload-length': 10, 'upload-metadata': meta }, refused('not a concatenation', REFUSED)),
      create('no Upload-Metadata', { ...TUS, 'upload-length': 10 }, statusAndCode(400, 'VALIDATION_FAILED')),
      create('Upload-Metadata without captureId', { ...TUS, 'upload-length': 10, 'upload-metadata': tusMetadata({ filename: 'a.pdf' }) }, statusAndCode(400, 'VALIDATION_FAILED')),
      create('captureId not a UUID', { ...TUS, 'upload-length': 10, 'upload-metadata': tusMetadata({ captureId: '../../etc/passwd' }) }, statusAndCode(400, 'VALIDATION_FAILED')),
      create('captureId of no capture', { ...TUS, 'upload-length': 10, 'upload-metadata': tusMetadata({ captureId: '00000000-0000-4000-8000-000000000000' }) }, statusAndCode(404, 'NOT_FOUND')),
      create('captureId of a finished capture', { ...TUS, 'upload-length': 10, 'upload-metadata': tusMetadata({ captureId: finished }) }, statusAndCode(409, 'CAPTURE_FINISHED')),
      create('captureId not base64', { ...TUS, 'upload-length': 10, 'upload-metadata': 'captureId !!!not-base64!!!' }, refused('not base64', [400])),
      create('captureId with no value', { ...TUS, 'upload-length': 10, 'upload-metadata': 'captureId' }, refused('no capture named', [400])),
      create('captureId twice', { ...TUS, 'upload-length': 10, 'upload-metadata': `captureId ${b64('00000000-0000-4000-8000-000000000000')},captureId ${b64(capture)}` }, anyAnswer),
      create('capturedAt "yesterday"', { ...TUS, 'upload-length': 10, 'upload-metadata': tusMetadata({ captureId: capture, capturedAt: 'yesterday' }) }, statusAndCode(400, 'VALIDATION_FAILED')),
      create('a 6 KB filename', { ...TUS, 'upload-length': 10, 'upload-metadata': tusMetadata({ captureId: capture, filename: 'f'.repeat(6000) }) }, anyAnswer),
      create('a key with a control character', {}, anyAnswer, {
        raw: rawRequest('POST', '/api/v1/uploads', { ...owner, ...TUS, 'upload-length': 10, 'upload-metadata': `captureId ${b64(capture)},bad\u0001key ${b64('x')}` }),
      }),
      create('a metadata value that is a NUL', { ...TUS, 'upload-length': 10, 'upload-metadata': `captureId ${b64(capture)},filename ${b64('\u0000')}` }, anyAnswer),
      create('Tus-Resumable on a body that is not bytes', { ...TUS, 'upload-length': 10, 'upload-metadata': meta, 'content-type': 'text/plain' }, anyAnswer, { body: 'hello' }),
    ];
    // Forging the owner in the metadata makes nobody else the owner.
    let forged = '';
    cases.push(
      create('packtrailOwner forged to name another device', { ...TUS, 'upload-length': 10, 'upload-metadata': tusMetadata({ captureId: capture, packtrailOwner: `device:${env.principals.device.id}` }) }, statusIn([201, 400]), {
        verify: async (res) => {
          forged = uploadIdFrom(res.headers.location) ?? '';
          if (!forged) return undefined;
          const asNamed = await head(env, env.principals.device.token!, forged);
          const asCreator = await head(env, env.principals.owner.token!, forged);
          if (asNamed.status !== 403) return `the device named in the forged metadata answers HEAD with ${asNamed.status}`;
          return asCreator.status === 200 ? undefined : `the creator answers HEAD with ${asCreator.status}`;
        },
      }),
    );
    expectNoFailures('tus creation', await runCases(env, cases));
  }, 120_000);

  it('append, offset and termination misuse on one’s own uploads is refused, never a 5xx', async () => {
    const { env } = suite;
    const owner = env.principals.owner;
    const file = pdfOfSize(1000);
    const own = (variant: string, method: string, headers: Record<string, string | number>, body: Buffer | undefined, expect: Expect, id?: () => Promise<string>): Case => ({
      method,
      path: '/api/v1/uploads/OWN',
      principal: 'owner',
      variant,
      prepare: async () => ({ path: `/api/v1/uploads/${id ? await id() : await env.spare.upload(owner.token!, { length: file.length })}`, headers: { ...bearer(owner), ...headers }, body }),
      expect,
    });
    const refusedAppend = refused('not a valid append', [400, 403, 409, 412, 415]);
    const finishedUpload = async () => {
      const id = await env.spare.upload(owner.token!, { length: file.length });
      const done = await patch(env, owner.token!, id, 0, file);
      if (done.status !== 204) throw new Error(`completing an upload answered ${done.status}`);
      return id;
    };
    const cases: Case[] = [
      own('an offset ahead of the upload', 'PATCH', { ...TUS, ...BYTES, 'upload-offset': 5 }, file.subarray(0, 10), statusAndCode(409, 'CONFLICT')),
      own('a negative offset', 'PATCH', { ...TUS, ...BYTES, 'upload-offset': -1 }, file.subarray(0, 10), refusedAppend),
      own('an offset that is text', 'PATCH', { ...TUS, ...BYTES, 'upload-offset': 'abc' }, file.subarray(0, 10), refusedAppend),
      own('no Upload-Offset', 'PATCH', { ...TUS, ...BYTES }, file.subarray(0, 10), refusedAppend),
      own('no content type', 'PATCH', { ...TUS, 'upload-offset': 0 }, file.subarray(0, 10), refusedAppend),
      own('content type text/plain', 'PATCH', { ...TUS, 'upload-offset': 0, 'content-type': 'text/plain' }, file.subarray(0, 10), refusedAppend),
      own('no Tus-Resumable', 'PATCH', { ...BYTES, 'upload-offset': 0 }, file.subarray(0, 10), statusAndCode(412, 'TUS_VERSION_REQUIRED')),
      own('more bytes than the declared length', 'PATCH', { ...TUS, ...BYTES, 'upload-offset': 0 }, Buffer.concat([file, file]), refused('beyond the declared length', [400, 409, 413])),
      own('an append to an upload already finished', 'PATCH', { ...TUS, ...BYTES, 'upload-offset': file.length }, file.subarray(0, 10), refused('nothing left to append to', [400, 404, 409, 410]), finishedUpload),
      own('HEAD without Tus-Resumable', 'HEAD', {}, undefined, statusIn([412])),
      own('DELETE without Tus-Resumable', 'DELETE', {}, undefined, statusIn([412])),
      own('DELETE twice', 'DELETE', TUS, undefined, statusIn([404, 410]), async () => {
        const id = await env.spare.upload(owner.token!, { length: file.length });
        await env.client.send({ method: 'DELETE', path: `/api/v1/uploads/${id}`, headers: { ...bearer(owner), ...TUS } });
        return id;
      }),
    ];
    for (const [variant, id] of [
      ['an unknown ID', '0123456789abcdef0123456789abcdef'],
      ['a non-hex ID', 'not-an-upload-id-at-all'],
      ['a 33-digit ID', '0123456789abcdef0123456789abcdef0'],
      ['the traversal ID', '..%2F..%2Fpackage.json'],
      ['a NUL ID', '%00'],
    ] as const) {
      for (const method of ['HEAD', 'PATCH', 'DELETE']) {
        cases.push({ method, path: `/api/v1/uploads/${id}`, principal: 'owner', variant, headers: { ...bearer(owner), ...TUS, ...(method === 'PATCH' ? { ...BYTES, 'upload-offset': 0 } : {}) }, body: method === 'PATCH' ? file.subarray(0, 4) : undefined, expect: statusIn([400, 404]) });
      }
    }
    // An upload into a capture finished before its last byte: refused, and nothing kept.
    let raceCapture = '';
    cases.push({
      method: 'PATCH',
      path: '/api/v1/uploads/OWN',
      principal: 'owner',
      variant: 'the last bytes after the capture was finished',
      async prepare() {
        raceCapture = await env.spare.capture();
        const id = await env.spare.upload(owner.token!, { length: file.length, captureId: raceCapture });
        await env.call('POST', `/api/v1/captures/${raceCapture}/finish`, { token: owner.token, expect: 200 });
        return { path: `/api/v1/uploads/${id}`, headers: { ...bearer(owner), ...TUS, ...BYTES, 'upload-offset': 0 }, body: file };
      },
      expect: statusAndCode(409, 'CAPTURE_FINISHED'),
      verify: async () => ((await mediaCount(env, raceCapture)) ? 'media were added to a finished capture' : undefined),
    });
    expectNoFailures('tus append', await runCases(env, cases));
  }, 120_000);

  it('hostile files through tus meet the same verdicts as through multipart', async () => {
    const { env } = suite;
    const device = env.principals.device;
    const cases: Case[] = hostilePayloads()
      .filter((payload) => payload.bytes.length > 0)
      .map((payload) => {
        let captureId = '';
        const { verdict } = payload;
        const expect: Expect =
          'refuse' in verdict ? refused(verdict.why, verdict.refuse) : 'keep' in verdict ? statusIn([204], `kept as ${verdict.keep}`) : statusIn([204, ...verdict.orRefuse]);
        return {
          method: 'PATCH',
          path: '/api/v1/uploads/OWN',
          principal: 'device',
          variant: `${payload.cls}: ${payload.variant}`,
          async prepare() {
            captureId = await env.spare.capture(undefined, device.token!);
            const id = await env.spare.upload(device.token!, { length: payload.bytes.length, captureId, metadata: { filename: payload.filename } });
            return { path: `/api/v1/uploads/${id}`, headers: { ...bearer(device), ...TUS, ...BYTES, 'upload-offset': 0 }, body: payload.bytes };
          },
          expect,
          verify: async (res) => {
            const count = await mediaCount(env, captureId);
            if (res.status === 204) return count === 1 && res.headers['packtrail-media-id'] ? undefined : `finished, yet the capture holds ${count} media`;
            return count ? `refused with ${res.status}, yet the capture holds ${count} media` : undefined;
          },
        };
      });
    expectNoFailures('tus files', await runCases(env, cases));
  }, 120_000);

  it(`a device may keep ${maxUnfinishedUploads} uploads unfinished; the next is refused with 429 until it finishes or cancels one`, async () => {
    const { env } = suite;
    const device = await env.spare.device();
    const meta = tusMetadata({ captureId: await env.spare.capture(undefined, device.token), filename: 'small.pdf' });
    const create = (variant: string, expect: Expect): Case => ({
      method: 'POST',
      path: '/api/v1/uploads',
      principal: 'spare device',
      variant,
      headers: { ...auth(device.token), ...TUS, 'upload-length': 1000, 'upload-metadata': meta },
      expect,
      keepUploads: true,
    });
    const capFull = statusAndCode(429, 'TOO_MANY_UNFINISHED_UPLOADS', `${maxUnfinishedUploads} are unfinished`);
    // One at a time, so which one meets the cap is certain.
    const outcomes: Outcome[] = [];
    for (let i = 1; i <= maxUnfinishedUploads; i++) outcomes.push(...(await runCases(env, [create(`unfinished upload #${i}`, statusIn([201]))])));
    outcomes.push(...(await runCases(env, [create(`unfinished upload #${maxUnfinishedUploads + 1}`, capFull)])));
    // Another caller is not held to this device's count.
    outcomes.push(...(await runCases(env, [{ ...create('another device meanwhile', statusIn([201])), principal: 'device', headers: { ...bearer(env.principals.device), ...TUS, 'upload-length': 1000, 'upload-metadata': tusMetadata({ captureId: env.world.captures.device, filename: 'small.pdf' }) }, keepUploads: false }])));
    const created = outcomes.map((outcome) => (outcome.c.principal === 'spare device' ? uploadIdFrom(outcome.res.headers.location) : undefined)).filter((id): id is string => Boolean(id));
    // Cancelling one makes room for exactly one more.
    outcomes.push(
      ...(await runCases(env, [{ method: 'DELETE', path: `/api/v1/uploads/${created[0]}`, principal: 'spare device', variant: 'cancelling one of them', headers: { ...auth(device.token), ...TUS }, expect: statusIn([204]) }])),
    );
    outcomes.push(...(await runCases(env, [create('a new upload once one was cancelled', statusIn([201]))])));
    outcomes.push(...(await runCases(env, [create('and the one after it', capFull)])));
    // Finishing one makes room too.
    const last = outcomes.map((outcome) => uploadIdFrom(outcome.res.headers.location)).filter((id): id is string => Boolean(id)).at(-1)!;
    const file = pdfOfSize(1000);
    outcomes.push(
      ...(await runCases(env, [
        { method: 'PATCH', path: `/api/v1/uploads/${last}`, principal: 'spare device', variant: 'finishing one of them', headers: { ...auth(device.token), ...TUS, ...BYTES, 'upload-offset': 0 }, body: file, expect: statusIn([204]), keepUploads: true },
      ])),
    );
    outcomes.push(...(await runCases(env, [create('a new upload once one was finished', statusIn([201]))])));
    for (const id of [...env.uploadTokens.keys()]) if (env.uploadTokens.get(id) === device.token) await env.cancelUpload(id);
    expectNoFailures('tus unfinished cap', outcomes);
  }, 120_000);

  it('a flood of uploads each declaring the largest size is held to the cap and to the free space', async () => {
    const { env } = suite;
    const device = await env.spare.device();
    const meta = tusMetadata({ captureId: await env.spare.capture(undefined, device.token), filename: 'big.mp4' });
    const attempts = 150;
    const refusedForNow = (res: HostileResponse) =>
      (res.status === 429 && codeOf(res) === 'TOO_MANY_UNFINISHED_UPLOADS') || (res.status === 507 && codeOf(res) === 'INSUFFICIENT_STORAGE');
    const cases: Case[] = Array.from({ length: attempts }, (_, i) => ({
      method: 'POST',
      path: '/api/v1/uploads',
      principal: 'spare device',
      variant: `declaring the largest size, #${i + 1}`,
      headers: { ...auth(device.token), ...TUS, 'upload-length': tusMax, 'upload-metadata': meta },
      expect: (res) => (res.status === 201 || refusedForNow(res) ? undefined : `expected 201, 429 TOO_MANY_UNFINISHED_UPLOADS or 507 INSUFFICIENT_STORAGE, got ${res.status} ${codeOf(res) ?? ''}`),
      outOfSpaceOk: true,
      keepUploads: true,
    }));
    const outcomes: Outcome[] = await runCases(env, cases, 4);
    const created = outcomes.map((outcome) => uploadIdFrom(outcome.res.headers.location)).filter((id): id is string => Boolean(id));
    outcomes.push(
      judged(
        env,
        { method: 'POST', path: '/api/v1/uploads', principal: 'spare device', variant: `${attempts} unfinished uploads of ${tusMax} bytes each` },
        outcomes.at(-1)!.res,
        created.length > maxUnfinishedUploads ? `${created.length} were accepted: more than the cap of ${maxUnfinishedUploads} unfinished uploads per device` : undefined,
      ),
    );
    // Cleaning up is a case too: a device may always cancel its own uploads.
    outcomes.push(
      ...(await runCases(
        env,
        created.map((id) => ({ method: 'DELETE', path: `/api/v1/uploads/${id}`, principal: 'spare device', variant: 'cancelling its own upload', headers: { ...auth(device.token), ...TUS }, expect: statusIn([204]) })),
      )),
    );
    expectNoFailures('tus reservations', outcomes);
  }, 120_000);

  it('an upload ID, a secret like a share token, never reaches the info log, not even through a query string', async () => {
    const { env } = suite;
    const server = await startChildServer({ dataDir: tempDir('packtrail-hostile-log-'), env: { LOG_LEVEL: 'info', MIN_FREE_DISK_BYTES: '1MiB' } });
    const client = createClient(server.url);
    const outcomes: Outcome[] = [];
    const ids: string[] = [];
    try {
      const { token, captureId } = await setUpCapture(server.url);
      const headers = { ...auth(token), ...TUS };
      const file = pdfOfSize(1000);
      const create = () =>
        client.send({ method: 'POST', path: '/api/v1/uploads', headers: { ...headers, 'upload-length': file.length, 'upload-metadata': tusMetadata({ captureId, filename: 'log.pdf' }) } });
      const created = await create();
      const id = uploadIdFrom(created.headers.location) ?? '';
      const other = uploadIdFrom((await create()).headers.location) ?? '';
      ids.push(id, other);
      // A query string on a tus URL may be refused (400); what matters here is what the log says of it.
      const steps: [string, string, string, Record<string, string | number>, Buffer | undefined, number[]][] = [
        ['PATCH', `/api/v1/uploads/${id}`, 'the first half', { ...BYTES, 'upload-offset': 0 }, file.subarray(0, 500), [204]],
        ['HEAD', `/api/v1/uploads/${id}?again=${id}`, 'HEAD with the ID in the query', {}, undefined, [200, 400]],
        ['PATCH', `/api/v1/uploads/${id}?x=/${other}`, 'a wrong offset, the other ID in the query', { ...BYTES, 'upload-offset': 0 }, file.subarray(0, 10), [400, 409]],
        ['PATCH', `/api/v1/uploads/${id}?resume=1`, 'a wrong offset, with a query string', { ...BYTES, 'upload-offset': 1 }, file.subarray(1, 10), [400, 409]],
        ['PATCH', `/api/v1/uploads/${id}/${other}`, 'a path below the upload', { ...BYTES, 'upload-offset': 500 }, file.subarray(500), [404]],
        ['PATCH', `/api/v1/uploads/${id}`, 'the rest', { ...BYTES, 'upload-offset': 500 }, file.subarray(500), [204]],
        ['DELETE', `/api/v1/uploads/${other}?why=${other}`, 'cancelling with the ID in the query', {}, undefined, [204, 400]],
        ['DELETE', `/api/v1/uploads/${other}`, 'cancelling', {}, undefined, [204, 404]],
        ['HEAD', `/api/v1/uploads/${other}`, 'the cancelled upload', {}, undefined, [404]],
      ];
      const label = (variant: string) => ({ method: 'POST', path: '/api/v1/uploads', principal: 'owner (child server)', variant });
      outcomes.push(judged(env, label('creating two uploads'), created, id && other ? undefined : `creating an upload answered ${created.status}`));
      for (const [method, path, variant, extra, body, status] of steps) {
        const res = await client.send({ method, path, headers: { ...headers, ...extra }, body });
        outcomes.push(judged(env, { ...label(variant), method, path: path.replaceAll(id, 'ID').replaceAll(other, 'OTHER') }, res, status.includes(res.status) ? undefined : `expected ${status.join('/')}, got ${res.status} ${codeOf(res) ?? ''}`));
      }
    } finally {
      client.close();
      await server.stop();
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    }
    const log = server.output();
    const requestsLogged = (log.match(/"msg":"incoming request"/g) ?? []).length;
    for (const id of ids.filter(Boolean)) {
      const leaked = log.split('\n').find((line) => line.toLowerCase().includes(id));
      const problem =
        requestsLogged < 5 ? `the info log holds only ${requestsLogged} requests: it is not the log this test means to read` : leaked ? `the info log holds the upload ID: ${leaked.slice(0, 300)}` : undefined;
      outcomes.push(judged(env, { method: 'GET', path: '(server log)', principal: 'operator', variant: 'the info log after creating, appending to and cancelling uploads' }, { status: 0, headers: {}, body: Buffer.alloc(0), bodyBytes: 0, ms: 0 }, problem));
    }
    expectNoFailures('upload IDs in the log', outcomes);
  }, 120_000);

  suite.afterRun();
});
