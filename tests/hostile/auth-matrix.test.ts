// Every route × every kind of caller, from the OpenAPI document and each route's `config.allow`:
// the roles a route allows get through, other roles get 403, callers without valid credentials 401.
import { describe, expect, it, vi } from 'vitest';
import { allowedThrough, anyAnswer, runCases, expectNoFailures, statusAndCode, statusIn, type Case, type Expect } from './checks';
import { principalNames, type Principal } from './fixtures';
import { undocumentedApiRoutes, type Operation } from './generate';
import { hostileSuite } from './suite';
import { validRequest } from './valid-requests';

vi.mock('fastify', async (importOriginal) => (await import('./route-table')).recordingFastify(await importOriginal()));

const suite = hostileSuite('auth-matrix');

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
