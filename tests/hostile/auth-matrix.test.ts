// Every route × every kind of caller, from the OpenAPI document and each route's `config.allow`:
// the roles a route allows get through, other roles get 403, callers without valid credentials 401.
// Then ownership, which roles alone do not decide: a capture is changed only by whoever started it, or staff.
import { describe, expect, it, vi } from 'vitest';
import { allowedThrough, anyAnswer, runCases, expectNoFailures, statusAndCode, statusIn, success, type Case, type Expect } from './checks';
import { principalNames, type HostileEnv, type Principal } from './fixtures';
import { undocumentedApiRoutes, type Operation } from './generate';
import { hostileSuite } from './suite';
import { validRequest } from './valid-requests';

vi.mock('fastify', async (importOriginal) => (await import('./route-table')).recordingFastify(await importOriginal()));

const suite = hostileSuite('auth-matrix');

/** The routes that change a capture or add files to it: only its starter, or staff, may use them on it. */
const captureChanges = ['PATCH /api/v1/captures/{id}', 'POST /api/v1/captures/{id}/finish', 'POST /api/v1/captures/{id}/media', 'POST /api/v1/uploads'];

/** What a caller could change of a capture: its fields, its status and which media it holds (not how far their processing got). */
async function captureState(env: HostileEnv, captureId: string): Promise<string> {
  const capture = await env.call<{ media: { id: string }[] }>('GET', `/api/v1/captures/${captureId}`, { token: env.principals.owner.token });
  return JSON.stringify({ ...capture, media: capture.media.map((item) => item.id) });
}

function expected(op: Operation, principal: Principal): Expect {
  if (op.access === 'public') return anyAnswer;
  const status = (code: number, name: string, why: string) => (op.method === 'HEAD' ? statusIn([code], why) : statusAndCode(code, name, why));
  if (!principal.role) return status(401, 'UNAUTHORIZED', 'no valid credentials');
  if (op.access === 'closed') return status(403, 'FORBIDDEN', 'the route allows nobody');
  if (op.access.includes(principal.role)) return allowedThrough;
  return status(403, 'FORBIDDEN', `${principal.role} is not among ${op.access.join(', ')}`);
}

describe('hostile: auth matrix', () => {
  it('every API route the server serves is in the OpenAPI document, so the generator sees it', () => {
    const { doc, routes } = suite.env;
    expect(undocumentedApiRoutes(doc, routes)).toEqual([]);
  });

  it('every route × every caller: allowed roles get through, other roles 403, missing or dead credentials 401, never a 5xx', async () => {
    const { env } = suite;
    // The share-link caller is a real `ptl_` token sent as a bearer: 401 on every route that is not public.
    expect(env.principals['share-token'].token).toMatch(/^ptl_/);
    const cases: Case[] = env.operations.flatMap((op) =>
      principalNames.map((name): Case => {
        const principal = env.principals[name];
        return {
          method: op.method,
          path: op.path,
          principal: name,
          variant: `access ${typeof op.access === 'string' ? op.access : op.access.join('|')}`,
          prepare: () => validRequest(env, op, principal),
          expect: expected(op, principal),
          htmlErrors: op.path === '/s/{token}',
        };
      }),
    );
    expect(cases.length).toBeGreaterThan(400);
    expectNoFailures('auth matrix', await runCases(env, cases));
  }, 240_000);

  it("a capture is changed, finished or given files only by whoever started it or by staff: another device, a packer and a revoked device get 403 or 401 and the capture stays as it was", async () => {
    const { env } = suite;
    const ops = captureChanges.map((key) => env.operations.find((op) => op.key === key) ?? expect.fail(`${key} is not in the OpenAPI document`));
    const { owner, seller, packer, device } = env.principals;
    const otherDevice = await env.spare.device();
    const otherPacker = await env.spare.user('packer');
    const refusedAs = (status: 401 | 403, why: string) => statusAndCode(status, status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', why);
    /** `revokedStarter`: a fresh device starts the capture, is revoked, then acts with its own dead token. */
    type Actor = { principal: Principal; label?: string; expect: Expect; changes: boolean; revokedStarter?: boolean };
    // Whose capture it is, and who tries to change it. The starter and staff are the controls: they get
    // through, and the change shows (so "unchanged" below is a check that can fail).
    const scenes: { victim: string; starter: Principal; actors: Actor[] }[] = [
      {
        victim: "a device's capture",
        starter: device,
        actors: [
          { principal: { ...device, token: otherDevice.token, id: otherDevice.id }, label: 'another device', expect: refusedAs(403, 'another phone'), changes: false },
          { principal: packer, expect: refusedAs(403, 'a packer who did not start it'), changes: false },
          { principal: env.principals['revoked-device'], expect: refusedAs(401, 'a revoked device'), changes: false },
          { principal: { name: 'revoked-device' }, label: 'its own device, revoked', expect: refusedAs(401, 'the starting device, since revoked'), changes: false, revokedStarter: true },
          { principal: device, expect: success, changes: true },
          { principal: seller, expect: success, changes: true },
        ],
      },
      {
        victim: "a packer's capture",
        starter: packer,
        actors: [
          { principal: { ...packer, token: otherPacker.token, id: otherPacker.id }, label: 'another packer', expect: refusedAs(403, 'another packer'), changes: false },
          { principal: device, expect: refusedAs(403, 'a phone that did not start it'), changes: false },
          { principal: env.principals['revoked-device'], expect: refusedAs(401, 'a revoked device'), changes: false },
          { principal: packer, expect: success, changes: true },
          { principal: owner, expect: success, changes: true },
        ],
      },
    ];
    const cases: Case[] = scenes.flatMap(({ victim, starter, actors }) =>
      ops.flatMap((op) =>
        actors.map((actor): Case => {
          let captureId = '';
          let before = '';
          return {
            method: op.method,
            path: op.path,
            principal: actor.label ?? actor.principal.name,
            variant: victim,
            async prepare() {
              let principal = actor.principal;
              if (actor.revokedStarter) {
                const fresh = await env.spare.device();
                captureId = await env.spare.capture(undefined, fresh.token);
                await env.call('DELETE', `/api/v1/devices/${fresh.id}`, { token: owner.token });
                principal = { ...principal, token: fresh.token };
              } else {
                captureId = await env.spare.capture(undefined, starter.token);
              }
              before = await captureState(env, captureId);
              return validRequest(env, op, principal, { captureId });
            },
            expect: actor.expect,
            async verify() {
              const after = await captureState(env, captureId);
              // A tus creation only reserves room: the capture changes when the upload is finished.
              if (!actor.changes || op.tus) return after === before ? undefined : `the capture changed: ${before} became ${after}`;
              return after !== before ? undefined : 'the allowed change did not show in the capture';
            },
          };
        }),
      ),
    );
    expectNoFailures('capture ownership', await runCases(env, cases));
  }, 120_000);

  it('a malformed or misplaced credential is 401 on a closed route, never a 5xx', async () => {
    const { env } = suite;
    const owner = env.principals.owner.token!;
    const variants: [string, Record<string, string>][] = [
      ['Bearer with no token', { authorization: 'Bearer' }],
      ['Bearer and spaces', { authorization: 'Bearer    ' }],
      ['Basic scheme with the token', { authorization: `Basic ${owner}` }],
      ['token without a scheme', { authorization: owner }],
      ['two tokens', { authorization: `Bearer ${owner} ${owner}` }],
      ['token with a suffix', { authorization: `Bearer ${owner}x` }],
      ['token cut short', { authorization: `Bearer ${owner.slice(0, -1)}` }],
      ['8 KB token', { authorization: `Bearer ${'a'.repeat(8192)}` }],
      ['token of the wrong kind prefix', { authorization: `Bearer ptd_${owner.slice(4)}` }],
      ['SQL in the token', { authorization: "Bearer ' OR 1=1 --" }],
      ['garbage bearer beside a valid cookie', { authorization: 'Bearer garbage', cookie: `packtrail_session=${owner}` }],
      ['garbage session cookie', { cookie: 'packtrail_session=garbage' }],
      ['cookie with the share token', { cookie: `packtrail_session=${env.world.share.token}` }],
    ];
    const cases: Case[] = variants.flatMap(([variant, headers]) =>
      ['/api/v1/me', '/api/v1/users', '/api/v1/orders'].map((path): Case => ({
        method: 'GET',
        path,
        principal: 'forged',
        variant,
        headers,
        expect: statusAndCode(401, 'UNAUTHORIZED'),
      })),
    );
    expectNoFailures('malformed credentials', await runCases(env, cases));
  }, 60_000);

  suite.afterRun();
});
