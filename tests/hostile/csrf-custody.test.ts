// Two things a browser or a viewer can get wrong for us: a page on another origin (another port of
// the same host included) riding a seller's session cookie, and evidence leaving without a custody
// event. Both are generated from the OpenAPI document: every state-changing route, every route that
// sends evidence bytes.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { allowedThrough, expectNoFailures, runCases, statusIn, success, type Case } from './checks';
import type { HostileEnv } from './fixtures';
import type { Operation } from './generate';
import { hostileSuite } from './suite';
import { validRequest } from './valid-requests';

vi.mock('fastify', async (importOriginal) => (await import('./route-table')).recordingFastify(await importOriginal()));

const suite = hostileSuite('csrf-custody', { video: true });

const stateChanging = (op: Operation) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(op.method) && op.access !== 'public';

/** The bearer token of a prepared request, moved into the session cookie a browser would send by itself. */
function asCookie(headers: Record<string, string | number> = {}): Record<string, string | number> {
  const { authorization, ...rest } = headers;
  const token = String(authorization ?? '').replace(/^Bearer /, '');
  return { ...rest, cookie: `packtrail_session=${token}` };
}

interface AuditEvent {
  actorId: string | null;
  action: string;
}

async function eventsBy(env: HostileEnv, actorId: string, subjects: string[]): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for (const subject of subjects) {
    const { items } = await env.call<{ items: AuditEvent[] }>('GET', `/api/v1/${subject}/custody`, { token: env.principals.owner.token });
    events.push(...items.filter((event) => event.actorId === actorId));
  }
  return events;
}

describe('hostile: CSRF and chain of custody', () => {
  it('a cookie-authenticated state-changing request from another origin is refused; the same with a bearer token is not', async () => {
    const { env } = suite;
    const ops = env.operations.filter(stateChanging);
    expect(ops.length).toBeGreaterThan(15);
    const origins: [string, Record<string, string>][] = [
      ['a foreign site', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
      ['the same host on another port', { origin: `http://127.0.0.1:${env.port + 1}`, 'sec-fetch-site': 'same-site' }],
      ['an opaque origin (sandboxed frame)', { origin: 'null', 'sec-fetch-site': 'cross-site' }],
    ];
    const cases: Case[] = [];
    for (const op of ops) {
      for (const [variant, headers] of origins) {
        cases.push({
          method: op.method,
          path: op.path,
          principal: 'owner by cookie',
          variant: `from ${variant}`,
          async prepare() {
            const request = await validRequest(env, op, env.principals.owner);
            return { ...request, headers: { ...asCookie(request.headers), ...headers } };
          },
          expect: statusIn([401, 403], 'a session cookie does not vouch for another origin'),
        });
      }
      // A form on another site can send text/plain without a preflight.
      if (op.method === 'POST') {
        cases.push({
          method: op.method,
          path: op.path,
          principal: 'owner by cookie',
          variant: 'a text/plain form post from the same host on another port',
          async prepare() {
            const request = await validRequest(env, op, env.principals.owner);
            const headers = { ...asCookie(request.headers), origin: `http://127.0.0.1:${env.port + 1}`, 'sec-fetch-site': 'same-site', 'content-type': 'text/plain' };
            return { ...request, headers, body: request.body ?? '{}' };
          },
          // Refused as the wrong content type is refused too; what matters is that it never succeeds.
          expect: statusIn([400, 401, 403, 415], 'a session cookie does not vouch for another origin'),
        });
      }
      cases.push({
        method: op.method,
        path: op.path,
        principal: 'owner by bearer',
        variant: 'from a foreign site with a bearer token (no ambient authority)',
        async prepare() {
          const request = await validRequest(env, op, env.principals.owner);
          return { ...request, headers: { ...request.headers, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } };
        },
        expect: allowedThrough,
      });
    }
    expectNoFailures('CSRF', await runCases(env, cases));
  }, 180_000);

  it('every route that sends evidence bytes leaves a custody event naming who received them, once per viewing', async () => {
    const { env } = suite;
    const { media, disputeId } = env.world;
    const evidence = env.operations.filter((op) => op.returnsBytes && /\/(media|disputes)\/|^\/s\//.test(op.path));
    // The generator must find them all: both originals, both thumbnails, both playbacks, three exports.
    expect(evidence.map((op) => op.path).sort()).toEqual(
      expect.arrayContaining([
        '/api/v1/media/{id}/original', '/api/v1/media/{id}/playback', '/api/v1/media/{id}/thumbnail',
        '/s/{token}/media/{mediaId}/original', '/s/{token}/media/{mediaId}/playback', '/s/{token}/media/{mediaId}/thumbnail',
        '/api/v1/disputes/{id}/bundle.zip', '/s/{token}/bundle.zip',
      ]),
    );
    const cases: Case[] = [];
    const exporters = [env.principals.seller, env.principals.owner];
    for (const op of evidence) {
      const isShare = op.path.startsWith('/s/');
      const isExport = op.path.endsWith('.zip');
      // Each API export route has an exporter of its own, so two exports running at once cannot stand in for each other.
      const exporter = exporters[evidence.filter((other) => other.path.endsWith('.zip') && !other.path.startsWith('/s/')).indexOf(op) % 2] ?? exporters[0];
      const mediaId = op.path.endsWith('/playback') ? media.video! : media.photo;
      const subjects = isExport ? [`disputes/${disputeId}`] : [`media/${mediaId}`, `disputes/${disputeId}`];
      const ranges: [string, Record<string, string>][] = !/\/(original|playback)$/.test(op.path)
        ? [['the whole file', {}]]
        : [['the whole file', {}], ['Range bytes=0-', { range: 'bytes=0-' }], ['Range bytes=1-', { range: 'bytes=1-' }], ['Range bytes=-10', { range: 'bytes=-10' }], ['Range bytes=5-9', { range: 'bytes=5-9' }]];
      for (const [variant, headers] of ranges) {
        // A fresh receiver each time (a device, a share link), so an earlier viewing cannot stand in for this one.
        // Exports are each their own event, so the seller's count of them must grow instead.
        let actor = '';
        let before = 0;
        cases.push({
          method: 'GET',
          path: op.path,
          principal: isShare ? 'a fresh share link' : isExport ? exporter.name : 'a fresh device',
          variant,
          async prepare() {
            let path = op.path.replace('{id}', isExport ? disputeId : mediaId).replace('{mediaId}', mediaId).replace('{recipient}', 'stripe');
            let auth: Record<string, string> = {};
            if (isShare) {
              const share = await env.spare.share();
              actor = share.id;
              path = path.replace('{token}', share.token);
            } else if (isExport) {
              actor = exporter.id!;
              auth = { authorization: `Bearer ${exporter.token}` };
              before = (await eventsBy(env, actor, subjects)).length;
            } else {
              const device = await env.spare.device();
              actor = device.id;
              auth = { authorization: `Bearer ${device.token}` };
            }
            return { path, headers: { ...auth, ...headers } };
          },
          expect: success,
          verify: async (res) => {
            if (res.status >= 300) return undefined;
            for (let tries = 0; tries < 10; tries++) {
              if ((await eventsBy(env, actor, subjects)).length > before) return undefined;
              await sleep(100);
            }
            return `${res.bodyBytes} bytes of evidence left with no custody event by their receiver`;
          },
        });
      }
    }
    // A player seeking through a video: many range requests, one viewing in the log (not none, not one per request).
    for (const op of evidence.filter((candidate) => /\/(original|playback)$/.test(candidate.path))) {
      const isShare = op.path.startsWith('/s/');
      const mediaId = op.path.endsWith('/playback') ? media.video! : media.photo;
      let actor = '';
      cases.push({
        method: 'GET',
        path: op.path,
        principal: isShare ? 'a fresh share link' : 'a fresh device',
        variant: '20 range requests while seeking',
        async prepare() {
          let path = op.path.replace('{id}', mediaId).replace('{mediaId}', mediaId);
          let auth: Record<string, string> = {};
          if (isShare) {
            const share = await env.spare.share();
            actor = share.id;
            path = path.replace('{token}', share.token);
          } else {
            const device = await env.spare.device();
            actor = device.id;
            auth = { authorization: `Bearer ${device.token}` };
          }
          for (let i = 0; i < 19; i++) await env.client.send({ method: 'GET', path, headers: { ...auth, range: `bytes=${i * 10}-${i * 10 + 9}` } });
          return { path, headers: { ...auth, range: 'bytes=200-' } };
        },
        expect: statusIn([200, 206, 416]),
        verify: async () => {
          await sleep(100);
          const events = await eventsBy(env, actor, [`media/${mediaId}`, `disputes/${env.world.disputeId}`]);
          if (events.length === 0) return 'a viewing of 20 range requests left no custody event';
          return events.length > 3 ? `one viewing left ${events.length} custody events` : undefined;
        },
      });
    }
    expectNoFailures('custody', await runCases(env, cases, 4));
  }, 240_000);

  suite.afterRun();
});
