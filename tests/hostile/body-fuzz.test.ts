// Bodies, query strings and path parameters, field by field, from each route's schema: wrong types,
// null, 1 MB strings, control characters, lone surrogates, non-finite numbers, deep nesting,
// prototype keys, extra fields. What the schema refuses must be refused (bodies are strict: nothing
// is coerced), nothing may crash, and nothing accepted may poison later reads.
import { describe, expect, it, vi } from 'vitest';
import { anyAnswer, both, expectNoFailures, healthzProbes, healthzProblem, judged, noRequest, refused, REFUSED, runCases, success, type Case, type Expect, type Outcome } from './checks';
import { bearer, type HostileEnv, type Principal } from './fixtures';
import { bodyCases, schemaError, nextSerial, textRefusal, textValues, wholeBodyCases, type Operation } from './generate';
import { hostileSuite } from './suite';
import { baseBody, pathFor } from './valid-requests';

vi.mock('fastify', async (importOriginal) => (await import('./route-table')).recordingFastify(await importOriginal()));

const suite = hostileSuite('body-fuzz');

/** The caller that may use the route: the owner for closed routes (every role list includes it), nobody for public ones. */
const callerFor = (env: HostileEnv, op: Operation): Principal => (op.access === 'public' ? env.principals.anonymous : env.principals.owner);

/** Orders and disputes made only for fuzzing, so whatever a case stores cannot disturb the other classes' fixtures. */
const fuzzOrder = 'FUZZ-ORDER';
/** Orders the fuzz upserted, with the answer each got: a 2xx (or a 5xx that stored it anyway) must read back. */
const fuzzedOrders = new Map<string, number>();
const fuzzedDisputes: string[] = [];
const fuzzedCaptures: string[] = [];

describe('hostile: body, query and parameter fuzz', () => {
  it('every field of every JSON body: what the schema refuses is refused, and nothing answers 5xx', async () => {
    const { env } = suite;
    await env.call('PUT', `/api/v1/orders/${fuzzOrder}`, { token: env.principals.owner.token, json: { carrier: 'CJ' }, expect: 201 });
    const fuzzCapture = await env.spare.capture(fuzzOrder);
    const fuzzDispute = await env.spare.dispute(fuzzOrder);
    fuzzedCaptures.push(fuzzCapture);
    fuzzedDisputes.push(fuzzDispute);
    const cases: Case[] = [];
    for (const op of env.operations.filter((candidate) => candidate.body)) {
      const principal = callerFor(env, op);
      const fixedPath = await pathFor(env, op, principal, { id: op.path.startsWith('/api/v1/captures') ? fuzzCapture : fuzzDispute });
      const generated = [...bodyCases(op.body!, () => baseBody(env, op, fuzzOrder)), ...wholeBodyCases(op.body!, () => baseBody(env, op, fuzzOrder))];
      for (const generatedCase of generated) {
        // Each upserted order gets its own ID, so one poisoned order cannot hide behind another.
        const path = op.key === 'PUT /api/v1/orders/{orderId}' ? `/api/v1/orders/FUZZ-${nextSerial()}` : fixedPath;
        cases.push({
          method: op.method,
          path,
          principal: principal.name,
          variant: generatedCase.variant,
          headers: { ...bearer(principal), 'content-type': generatedCase.contentType },
          body: generatedCase.text,
          expect: generatedCase.mustRefuse ? refused(generatedCase.mustRefuse) : anyAnswer,
        });
      }
    }
    expect(cases.length).toBeGreaterThan(800);
    const outcomes = await runCases(env, cases);
    for (const { c, res } of outcomes) if (c.path.startsWith('/api/v1/orders/FUZZ-') && c.method === 'PUT') fuzzedOrders.set(c.path.split('/').pop()!, res.status);
    expectNoFailures('body fuzz', outcomes);
  }, 300_000);

  it('every query parameter: non-finite numbers and what the schema refuses are refused, nothing answers 5xx', async () => {
    const { env } = suite;
    const cases: Case[] = [];
    for (const op of env.operations.filter((candidate) => candidate.method === 'GET' && candidate.query.length)) {
      const principal = callerFor(env, op);
      const base = (await pathFor(env, op, principal)).split('?')[0];
      for (const param of op.query) {
        const others = op.query.filter((other) => other.required && other !== param).map((other) => `${other.name}=1`);
        for (const value of textValues(param.schema)) {
          const why = textRefusal(param.schema, value, 'query');
          cases.push({
            method: op.method,
            path: `${base}?${[...others, `${param.name}=${value.encoded}`].join('&')}`,
            principal: principal.name,
            variant: `${param.name}: ${value.variant}`,
            headers: bearer(principal),
            expect: why ? refused(why, REFUSED) : anyAnswer,
          });
        }
      }
      const required = op.query.filter((q) => q.required).map((q) => `${q.name}=1`);
      const extras: [string, string][] = [
        ['an unknown parameter', 'hostile=1'],
        ['a parameter repeated', op.query.map((q) => `${q.name}=1&${q.name}=2`).join('&')],
        ['__proto__ in brackets', '__proto__[polluted]=1'],
        ['constructor.prototype in brackets', 'constructor[prototype][polluted]=1'],
        ['1,000 parameters', Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join('&')],
        ['an 8 KB value', `${op.query[0].name}=${'z'.repeat(8192)}`],
      ];
      for (const [variant, query] of extras) {
        cases.push({ method: op.method, path: `${base}?${[...required, query].join('&')}`, principal: principal.name, variant, headers: bearer(principal), expect: anyAnswer });
      }
    }
    expectNoFailures('query fuzz', await runCases(env, cases));
  }, 300_000);

  it('every path parameter: traversal, NUL, bad percent-encoding and overlong values are refused, nothing answers 5xx', async () => {
    const { env } = suite;
    const cases: Case[] = [];
    for (const op of env.operations.filter((candidate) => candidate.method !== 'HEAD' && candidate.pathParams.length)) {
      const principal = callerFor(env, op);
      for (const param of op.pathParams) {
        for (const value of textValues(param.schema)) {
          const why = textRefusal(param.schema, value, 'path');
          cases.push({
            method: op.method,
            path: op.path.replace(`{${param.name}}`, value.encoded),
            principal: principal.name,
            variant: `${param.name}: ${value.variant}`,
            prepare: async () => ({ path: await pathFor(env, op, principal, { [param.name]: value.encoded }), headers: bearer(principal) }),
            expect: why ? refused(why, REFUSED) : anyAnswer,
            htmlErrors: op.path === '/s/{token}',
          });
        }
      }
    }
    expectNoFailures('path parameter fuzz', await runCases(env, cases));
  }, 300_000);

  it('afterwards every list and every fuzzed order, dispute and capture still reads, for every role', async () => {
    const { env } = suite;
    const { owner, packer, device } = env.principals;
    const reads: Case[] = [];
    // A stored value the API cannot represent (an infinite amount turned into null) breaks the documented shape.
    const documented = (path: string): Expect => {
      const template = path.split('?')[0].replace(/\/[0-9a-f-]{36}(?=\/|$)/, '/{id}').replace(/^\/api\/v1\/orders\/(?!$)[^/]+$/, '/api/v1/orders/{orderId}');
      const schema = env.operations.find((op) => op.method === 'GET' && op.path === template)?.okSchema;
      return (res) => {
        if (!schema || res.status !== 200) return undefined;
        const error = schemaError(schema, JSON.parse(res.body.toString('utf8')));
        return error && `the answer breaks its documented schema (${error}): a stored value the API cannot represent`;
      };
    };
    const read = (path: string, principal: Principal, variant: string) =>
      reads.push({ method: 'GET', path, principal: principal.name, variant, headers: bearer(principal), keepBytes: 64 * 1024 ** 2, expect: both(success, documented(path)) });
    for (const principal of [owner, packer, device]) read('/api/v1/orders?limit=200', principal, 'the order list after the fuzz');
    read(`/api/v1/orders?q=FUZZ&limit=200`, owner, 'a search across fuzzed orders');
    read('/api/v1/disputes', owner, 'the dispute list after the fuzz');
    read('/api/v1/reminders', owner, 'reminders after the fuzz');
    read('/api/v1/users', owner, 'users after the fuzz');
    read('/api/v1/devices', owner, 'devices after the fuzz');
    read(`/api/v1/orders/${fuzzOrder}`, packer, 'the fuzzed captures’ order');
    for (const [id, status] of fuzzedOrders) if (status < 300 || status >= 500) read(`/api/v1/orders/${id}`, owner, `an order whose upsert answered ${status}`);
    read(`/api/v1/orders/${fuzzOrder}`, owner, 'the fuzzed order with its disputes');
    for (const id of fuzzedDisputes) {
      read(`/api/v1/disputes/${id}`, owner, 'the fuzzed dispute');
      read(`/api/v1/disputes/${id}/claim`, owner, 'the fuzzed dispute’s claim summary');
      read(`/api/v1/disputes/${id}/bundle.zip`, owner, 'the fuzzed dispute’s evidence bundle (its report shows the amount)');
    }
    for (const id of fuzzedCaptures) read(`/api/v1/captures/${id}`, device, 'the fuzzed capture');
    const outcomes: Outcome[] = await runCases(env, reads);

    // Every order the list shows can be opened by its own ID: an ID that cannot be written in a URL is lost.
    const listed: Case[] = [];
    let cursor: string | null = null;
    do {
      type Page = { items: { orderId: string }[]; nextCursor: string | null };
      const page: Page = await env
        .call<Page>('GET', `/api/v1/orders?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: owner.token })
        .catch(() => ({ items: [], nextCursor: null }));
      for (const { orderId } of page.items) {
        const label = { method: 'GET', principal: 'owner', variant: `listed order ${JSON.stringify(orderId).slice(0, 40)}` };
        try {
          listed.push({ ...label, path: `/api/v1/orders/${encodeURIComponent(orderId)}`, headers: bearer(owner), expect: success });
        } catch {
          outcomes.push(judged(env, { ...label, path: '/api/v1/orders/<unencodable>' }, noRequest, 'the order ID holds a lone surrogate: no URL can reach it'));
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    outcomes.push(...(await runCases(env, listed)));
    expectNoFailures('reads after the fuzz', outcomes);
  }, 120_000);

  it('concurrent deeply nested bodies to a public route are refused quickly and healthz stays fast', async () => {
    const { env } = suite;
    const nested = '['.repeat(500_000) + ']'.repeat(500_000);
    const cases: Case[] = Array.from({ length: 24 }, (_, i) => ({
      method: 'POST',
      path: i % 2 ? '/api/v1/sessions' : '/api/v1/devices/pair',
      principal: 'anonymous',
      variant: `1 MB of nested arrays #${i + 1}`,
      headers: { 'content-type': 'application/json' },
      body: nested,
      expect: refused('nesting this deep is refused'),
    }));
    const running = runCases(env, cases, 24);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const health = await healthzProbes(env, 5, 40);
    const outcomes = await running;
    const slow = healthzProblem(health);
    const variant = `while 24 nested bodies arrive (5 probes: median ${Math.round(health.median)} ms, slowest ${Math.round(health.max)} ms)`;
    outcomes.push(judged(env, { method: 'GET', path: '/healthz', principal: 'anonymous', variant }, health.last, slow));
    expectNoFailures('nested bodies', outcomes);
  }, 120_000);

  suite.afterRun();
});
