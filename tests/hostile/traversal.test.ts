// Paths that try to leave where they point: traversal on the static app, the share pages, the API
// and the docs (%2e%2e, backslashes, NUL, overlong UTF-8), and requests malformed below HTTP's
// surface (a space in the URL, control characters in headers, oversized heads, smuggling shapes).
// Nothing outside the served folders may come back, and every refusal is in the documented shape.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, vi } from 'vitest';
import { anyAnswer, expectNoFailures, refused, REFUSED, runCases, type Case, type Expect } from './checks';
import { bearer, type HostileEnv } from './fixtures';
import { rawRequest, type HostileResponse } from './http';
import { hostileSuite } from './suite';

vi.mock('fastify', async (importOriginal) => (await import('./route-table')).recordingFastify(await importOriginal()));

const suite = hostileSuite('traversal');

/** Strings that appear only in files that must never be served. */
function secretMarkers(env: HostileEnv): string[] {
  const markers = ['"allowScripts"', 'root:x:0:0', 'SQLite format 3', '"compilerOptions"', 'export async function buildApp'];
  const key = path.join(env.dataDir, 'ledger', 'signing.key');
  if (fs.existsSync(key)) markers.push(fs.readFileSync(key, 'utf8').trim().slice(0, 40));
  return markers;
}

function nothingLeaks(env: HostileEnv, expect: Expect): Expect {
  const markers = secretMarkers(env);
  return (res: HostileResponse) => {
    const text = res.body.toString('latin1');
    const leaked = markers.find((marker) => text.includes(marker));
    return leaked ? `the answer holds ${JSON.stringify(leaked.slice(0, 20))}: a file from outside was served` : expect(res);
  };
}

describe('hostile: traversal and malformed requests', () => {
  it('traversal on static routes, share links, the docs and the API never reaches outside and never answers 5xx', async () => {
    const { env } = suite;
    const token = env.world.share.token;
    const media = env.world.media.photo;
    const escapes = [
      '..%2f..%2f..%2fpackage.json',
      '..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '%2e%2e/%2e%2e/%2e%2e/package.json',
      '%2e%2e%2f%2e%2e%2f%2e%2e%2fpackage.json',
      '.%2e/.%2e/.%2e/package.json',
      '..\\..\\..\\package.json',
      '..%5c..%5c..%5cpackage.json',
      '%252e%252e%252f%252e%252e%252fpackage.json',
      '%c0%ae%c0%ae/%c0%ae%c0%ae/package.json',
      '....//....//....//package.json',
      '%2fetc%2fpasswd',
      '/etc/passwd',
      '..%00/package.json',
    ];
    const must4xx = refused('outside the served folder', [...REFUSED, 401, 403]);
    const cases: Case[] = [];
    const get = (route: string, variant: string, expect: Expect = must4xx, extra: Partial<Case> = {}) =>
      cases.push({ method: 'GET', path: route, principal: 'anonymous', variant, expect: nothingLeaks(env, expect), ...extra });
    for (const escape of escapes) {
      get(`/pack/${escape}`, `app: ${escape}`);
      get(`/pack/icons/${escape}`, `app icons: ${escape}`);
      get(`/pack/vendor/${escape}`, `app vendor: ${escape}`);
      get(`/s/${token}/${escape}`, `share page: ${escape}`, must4xx, { htmlErrors: true });
      get(`/s/${token}/media/${media}/${escape}`, `share media: ${escape}`);
      get(`/s/${escape}`, `share token: ${escape}`, must4xx, { htmlErrors: true });
      get(`/docs/static/${escape}`, `docs: ${escape}`);
      get(`/${escape}`, `root: ${escape}`);
      cases.push({ method: 'GET', path: `/api/v1/media/${escape}/original`, principal: 'owner', variant: `API media id: ${escape}`, headers: bearer(env.principals.owner), expect: nothingLeaks(env, must4xx) });
    }
    for (const [route, variant] of [
      ['/pack/app.js%00.png', 'NUL before a harmless extension'],
      ['/pack/app.js%00', 'NUL at the end'],
      ['/pack/%00', 'only a NUL'],
      ['/pack/index.html%00.js', 'NUL between extensions'],
      ['/pack/a%ED%A0%80.js', 'an encoded lone surrogate'],
      ['/pack/%ZZ.js', 'bad percent-encoding'],
      ['/pack/.git/HEAD', 'a dot folder'],
      ['/pack/.env', 'a dot file'],
      ['/pack/%2egit/HEAD', 'an encoded dot folder'],
      [`/pack/${'x'.repeat(5000)}.js`, 'a 5,000-character name'],
      ['/pack/vendor/__proto__', 'vendor __proto__'],
      ['/pack/vendor/constructor', 'vendor constructor'],
      ['/pack/vendor/hasOwnProperty', 'vendor hasOwnProperty'],
      ['/pack/vendor/toString', 'vendor toString'],
      [`/s/${token}%00/bundle.zip`, 'NUL after a share token'],
      [`/s/${token}/media/${media}%00/original`, 'NUL after a media id'],
      [`/s/${token}/media/${media}/original%00.html`, 'NUL and .html after original'],
      ['/docs/static/%00', 'docs NUL'],
      ['/healthz/..%2f..%2fpackage.json', 'below healthz'],
    ] as const) {
      get(route, variant, must4xx, { htmlErrors: route.startsWith('/s/') });
    }
    // Controls: what normalises to a file the app really serves may be served.
    get('/pack/./app.js', 'a harmless ./ segment', anyAnswer);
    get('/pack/icons/../app.js', 'a .. that stays inside the app', anyAnswer);
    expectNoFailures('traversal', await runCases(env, cases));
  }, 120_000);

  it('requests malformed below HTTP are refused with a documented error, never a 5xx', async () => {
    const { env } = suite;
    const owner = env.principals.owner.token!;
    const raw = (variant: string, bytes: Buffer | string, expect: Expect = refused('malformed request', [400, 404, 405, 413, 414, 431])): Case => ({
      method: 'RAW',
      path: String(bytes).split('\r\n')[0].slice(0, 60),
      principal: 'anonymous',
      variant,
      raw: bytes,
      expect,
    });
    const cases: Case[] = [
      raw('a raw space in the URL', 'GET /pack/a b.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      raw('a raw space in an API URL', `GET /api/v1/orders/A B HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${owner}\r\nConnection: close\r\n\r\n`),
      raw('a control character in a header', rawRequest('GET', '/healthz', { 'X-Hostile': 'a\u0001b' })),
      raw('a NUL in a header', rawRequest('GET', '/api/v1/me', { Authorization: `Bearer ${owner}\u0000` })),
      raw('a NUL in the request line', 'GET /healthz\u0000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      raw('a 20 KB cookie', rawRequest('GET', '/healthz', { Cookie: `c=${'x'.repeat(20_000)}` })),
      raw('a 70 KB URL', rawRequest('GET', `/pack/${'y'.repeat(70_000)}.js`)),
      raw('bad percent-encoding in an API path', rawRequest('GET', '/api/v1/orders/%ZZ', { Authorization: `Bearer ${owner}` })),
      raw('bad percent-encoding in a share path', rawRequest('GET', '/s/%E0%A4%A/bundle.zip')),
      raw('Content-Length and Transfer-Encoding together', `POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`),
      raw('two different Content-Lengths', `POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\nConnection: close\r\n\r\n{}`),
      raw('a chunk size that is not hex', `POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`),
      raw('an obsolete folded header', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n  b\r\nConnection: close\r\n\r\n'),
      raw('an unknown method', 'FOO /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      raw('HTTP/9.9', 'GET /healthz HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n'),
      raw('a header without a colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nNoColonHere\r\nConnection: close\r\n\r\n'),
      raw('an absolute-form URL to another host', 'GET http://evil.example/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', anyAnswer),
      raw('HTTP/1.0 without a Host', 'GET /healthz HTTP/1.0\r\n\r\n', anyAnswer),
      raw('an X-Request-Id with markup', rawRequest('GET', '/healthz', { 'X-Request-Id': '<script>alert(1)</script>' }), anyAnswer),
      raw('an X-Request-Id of 8 KB', rawRequest('GET', '/healthz', { 'X-Request-Id': 'r'.repeat(8192) }), anyAnswer),
    ];
    expectNoFailures('malformed requests', await runCases(env, cases));
  }, 60_000);

  suite.afterRun();
});
