// Running hostile cases and judging them: what every answer must satisfy (an answer, never a 5xx),
// what each case expects, the checks after a run (error shape, leftovers, a live service), and a
// compact report of failures that fits on a screen.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { errorCatalog } from '../../server/errors';
import { listFiles } from '../helpers/server';
import { uploadIdFrom, type Answered, type HostileEnv } from './fixtures';
import { pool, type HostileRequest, type HostileResponse } from './http';

export type Expect = (res: HostileResponse) => string | undefined;

export interface Case {
  method: string;
  path: string;
  principal: string;
  variant: string;
  headers?: Record<string, string | number>;
  body?: HostileRequest['body'];
  abortAfterBytes?: number;
  timeoutMs?: number;
  keepBytes?: number;
  /** Sent on a raw socket instead (method and path are then only labels). */
  raw?: Buffer | string;
  /** Runs just before the request: fresh resources for cases that use one up. */
  prepare?: () => Promise<Partial<Pick<HostileRequest, 'path' | 'headers' | 'body'>>>;
  expect: Expect;
  /** Side effects checked after the answer; returns a problem or nothing. */
  verify?: (res: HostileResponse) => Promise<string | undefined>;
  htmlErrors?: boolean;
  /** The client cut the connection itself, so no answer is fine. */
  noAnswerOk?: boolean;
  /** 507 is the documented answer when the disk could not take what a case declares. */
  outOfSpaceOk?: boolean;
  /** Leave the uploads this case made or named unfinished (by default they are cancelled once it is judged). */
  keepUploads?: boolean;
}

export interface Outcome {
  c: Case;
  res: HostileResponse;
  problems: string[];
}

/** Runs cases with modest concurrency; every answer is kept for the checks after the run. */
export async function runCases(env: HostileEnv, cases: Case[], concurrency = 8): Promise<Outcome[]> {
  const outcomes = await pool(cases, concurrency, async (c): Promise<Outcome> => {
    const problems: string[] = [];
    let res: HostileResponse;
    let request: HostileRequest | undefined;
    try {
      const extra = c.prepare ? await c.prepare() : {};
      request = {
        method: c.method,
        path: extra.path ?? c.path,
        headers: { ...c.headers, ...extra.headers },
        body: extra.body ?? c.body,
        abortAfterBytes: c.abortAfterBytes,
        timeoutMs: c.timeoutMs,
        keepBytes: c.keepBytes,
      };
      res = c.raw !== undefined ? await env.client.raw(c.raw) : await env.client.send(request);
    } catch (error) {
      return { c, res: { status: 0, headers: {}, body: Buffer.alloc(0), bodyBytes: 0, ms: 0 }, problems: [`the case could not run: ${(error as Error).message}`] };
    }
    env.answers.push({ method: c.method, path: c.path, principal: c.principal, variant: c.variant, res, htmlErrors: c.htmlErrors });
    // A tus upload a case created and left unfinished is there on purpose, not a leftover.
    const created = res.status === 201 ? uploadIdFrom(res.headers.location) : undefined;
    const creator = bearerOf(c, request);
    if (created) {
      env.liveUploads.add(created);
      if (creator) env.uploadTokens.set(created, creator);
    }
    if (res.status === 0 && !c.noAnswerOk) problems.push(`no answer (${res.error ?? 'connection closed'})`);
    if (res.status >= 500 && !(c.outOfSpaceOk && res.status === 507)) problems.push(`server error ${res.status}`);
    try {
      const expected = c.expect(res);
      if (expected) problems.push(expected);
    } catch (error) {
      problems.push(`the answer could not be judged: ${(error as Error).message}`);
    }
    if (c.verify) {
      try {
        const verified = await c.verify(res);
        if (verified) problems.push(verified);
      } catch (error) {
        problems.push(`the check after the answer failed: ${(error as Error).message}`);
      }
    }
    if (!c.keepUploads) {
      const named = uploadIdFrom(request?.path ?? c.path);
      for (const id of new Set([created, named])) {
        if (!id) continue;
        const cancelled = await env.cancelUpload(id);
        // Gone already (finished, refused or cancelled by the case itself) is fine; anything else is not.
        if (cancelled && ![204, 404, 410].includes(cancelled.status)) problems.push(`cancelling the upload afterwards answered ${cancelled.status || cancelled.error}`);
      }
    }
    return { c, res, problems };
  });
  // HOSTILE_DUMP=file writes every case and its answer there, for looking into a run by hand.
  if (process.env.HOSTILE_DUMP) fs.appendFileSync(process.env.HOSTILE_DUMP, outcomes.map((outcome) => `${env.cls} | ${describeOutcome(outcome)}\n`).join(''));
  env.counts.cases += outcomes.length;
  env.counts.failures += outcomes.filter((outcome) => outcome.problems.length).length;
  return outcomes;
}

/** The bearer token a case sent, from its request or its raw bytes. */
function bearerOf(c: Case, request: HostileRequest | undefined): string | undefined {
  const header = c.raw !== undefined ? /\r\nauthorization: *([^\r\n]*)/i.exec(c.raw.toString())?.[1] : request?.headers?.authorization;
  return /^Bearer (\S+)$/.exec(String(header ?? ''))?.[1];
}

/** A case judged from an answer already in hand (a timing taken beside other requests, an entry of a listing). */
export function judged(env: HostileEnv, c: Omit<Case, 'expect'>, res: HostileResponse, problem: string | undefined): Outcome {
  env.counts.cases += 1;
  if (problem) env.counts.failures += 1;
  return { c: { ...c, expect: anyAnswer }, res, problems: problem ? [problem] : [] };
}

export const noRequest: HostileResponse = { status: 0, headers: {}, body: Buffer.alloc(0), bodyBytes: 0, ms: 0 };

// ---------------------------------------------------------------------------------------------
// Expectations

/** A request refused as invalid (or, for sign-in, throttled): the statuses that mean "not done". */
export const REFUSED = [400, 404, 409, 413, 414, 415, 422, 429, 431];
const BODY_REFUSED = [400, 413, 415, 422, 429];

export function codeOf(res: HostileResponse): string | undefined {
  try {
    return (JSON.parse(res.body.toString('utf8')) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

export const anyAnswer: Expect = () => undefined;

export function statusIn(statuses: number[], why = ''): Expect {
  return (res) => (statuses.includes(res.status) ? undefined : `expected ${statuses.join('/')}${why ? ` (${why})` : ''}, got ${res.status}`);
}

export function statusAndCode(status: number, code: string, why = ''): Expect {
  return (res) => (res.status === status && codeOf(res) === code ? undefined : `expected ${status} ${code}${why ? ` (${why})` : ''}`);
}

/** Must be refused as a bad request; `why` says which rule refuses it. */
export function refused(why: string, statuses = BODY_REFUSED): Expect {
  return (res) => (statuses.includes(res.status) ? undefined : `must be refused (${why}), got ${res.status}`);
}

/** A caller the route allows: whatever the answer, it is not an authentication or role refusal. */
export const allowedThrough: Expect = (res) =>
  res.status === 401 || res.status === 403 ? `an allowed caller was refused with ${res.status}` : undefined;

export const success: Expect = (res) => (res.status >= 200 && res.status < 300 ? undefined : `expected success, got ${res.status}`);

export const both =
  (...expects: Expect[]): Expect =>
  (res) =>
    expects.map((expect) => expect(res)).find(Boolean);

// ---------------------------------------------------------------------------------------------
// Reporting

const printable = (text: string, max: number) => {
  const escaped = JSON.stringify(text).slice(1, -1);
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
};

export function describeOutcome({ c, res, problems }: Outcome): string {
  const code = codeOf(res);
  return `${c.method} ${printable(c.path, 70)} · ${c.principal} · ${printable(c.variant, 60)} → ${res.status || (res.error ? 'no answer' : '—')}${code ? ` ${code}` : ''}: ${problems.join('; ')}`;
}

/** Fails with a compact list (at most 50 lines) of the cases that went wrong. */
export function expectNoFailures(group: string, outcomes: Outcome[]): void {
  const failed = outcomes.filter((outcome) => outcome.problems.length);
  if (failed.length === 0) return;
  const lines = failed.slice(0, 50).map(describeOutcome);
  if (failed.length > 50) lines.push(`… and ${failed.length - 50} more`);
  throw new Error(`${group}: ${failed.length} of ${outcomes.length} cases failed\n  ${lines.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------
// After the run

/** The documented error shape {statusCode, code, error, message} with a code from server/errors.ts. */
export function shapeProblem(answer: Answered): string | undefined {
  const { res, method } = answer;
  if (res.status < 400 || method === 'HEAD') return undefined;
  const type = String(res.headers['content-type'] ?? '');
  if (answer.htmlErrors && type.startsWith('text/html')) return undefined;
  if (!type.includes('application/json')) return `error ${res.status} is not JSON (${type || 'no content type'})`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return `error ${res.status} is not valid JSON`;
  }
  if (body.statusCode !== res.status) return `statusCode ${String(body.statusCode)} differs from HTTP ${res.status}`;
  if (typeof body.code !== 'string') return `error ${res.status} has no code`;
  if (!Object.hasOwn(errorCatalog, body.code)) return `code ${body.code} is not in server/errors.ts`;
  if (typeof body.error !== 'string' || typeof body.message !== 'string') return `error ${res.status} lacks error or message`;
  return undefined;
}

/** Files the run left behind: anything in staging/, uploads/ that is not a deliberately live upload, originals without a media row. */
export function leftovers(env: HostileEnv): string[] {
  const found: string[] = [];
  for (const file of listFiles(path.join(env.dataDir, 'staging'))) found.push(`staging/${file}`);
  for (const file of listFiles(path.join(env.dataDir, 'uploads'))) {
    const id = file.replace(/\.json$/, '');
    if (!env.liveUploads.has(id)) found.push(`uploads/${file}`);
  }
  const originals = listFiles(path.join(env.dataDir, 'originals'));
  if (originals.length) {
    const db = new Database(path.join(env.dataDir, 'packtrail.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT 1 FROM media WHERE sha256 = ? LIMIT 1');
      for (const file of originals) if (!row.get(path.basename(file))) found.push(`originals/${file} (no media row)`);
    } finally {
      db.close();
    }
  }
  return found;
}

/**
 * How quickly healthz answers: `count` probes, each on a connection of its own, started `spacingMs`
 * apart (so several fall inside whatever load is running). The median is what the service does; a
 * single slow probe on a loaded 2-core CI machine may be the test process itself (it shares its event
 * loop with the server) and is no failure unless it is very slow.
 */
export async function healthzProbes(env: HostileEnv, count = 5, spacingMs = 40): Promise<{ median: number; max: number; failed: HostileResponse[]; last: HostileResponse }> {
  const probes = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * spacingMs));
      return env.client.send({ method: 'GET', path: '/healthz', timeoutMs: 30_000, ownConnection: true });
    }),
  );
  const times = probes.map((probe) => probe.ms).sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], max: times.at(-1)!, failed: probes.filter((probe) => probe.status !== 200), last: probes.at(-1)! };
}

/** Healthz must answer, by the median of its probes within this many ms, and none slower than the hard limit. */
export const HEALTHZ_MEDIAN_MS = 1000;
export const HEALTHZ_MAX_MS = 5000;

export function healthzProblem({ median, max, failed }: Awaited<ReturnType<typeof healthzProbes>>): string | undefined {
  if (failed.length) return `healthz answered ${failed[0].status || `nothing (${failed[0].error})`}`;
  if (median > HEALTHZ_MEDIAN_MS) return `healthz took ${Math.round(median)} ms by the median (at most ${HEALTHZ_MEDIAN_MS} ms)`;
  if (max > HEALTHZ_MAX_MS) return `one healthz probe took ${Math.round(max)} ms (at most ${HEALTHZ_MAX_MS} ms)`;
  return undefined;
}

/** Everything checked once the cases have run; an empty list when all is well. */
export async function afterRunProblems(env: HostileEnv): Promise<string[]> {
  const problems: string[] = [];
  const shapes = new Map<string, string[]>();
  for (const answer of env.answers) {
    const problem = shapeProblem(answer);
    if (!problem) continue;
    const examples = shapes.get(problem) ?? [];
    examples.push(`${answer.method} ${printable(answer.path, 60)} · ${answer.principal} · ${printable(answer.variant, 40)}`);
    shapes.set(problem, examples);
  }
  for (const [problem, examples] of shapes) problems.push(`error shape: ${problem} — ${examples.length}× e.g. ${examples[0]}`);

  // Deletions of refused uploads may still be under way: give them a moment.
  let left = leftovers(env);
  for (let tries = 0; left.length && tries < 25; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = leftovers(env);
  }
  for (const file of left) problems.push(`left behind: ${file}`);

  if (!env.app.server.listening) problems.push('the server stopped listening');
  const health = healthzProblem(await healthzProbes(env, 3));
  if (health) problems.push(health);
  return problems;
}

export function expectNoProblems(group: string, problems: string[]): void {
  if (problems.length === 0) return;
  const lines = problems.slice(0, 50);
  if (problems.length > 50) lines.push(`… and ${problems.length - 50} more`);
  throw new Error(`${group}: ${problems.length} problems\n  ${lines.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------
// The count across classes. Each class is its own test file (its own process and server); each
// writes its count where the others can read it, and whichever finishes last with every class in
// reports the total and holds it to the floor. Run alone, a class reports only itself.

export const MIN_TOTAL_CASES = 1000;

function tallyDir(): string {
  // One directory per vitest run: its main process's pid and start time (the workers' parent).
  let started = '';
  try {
    started = fs.readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19] ?? '';
  } catch {
    // Not Linux: the pid alone.
  }
  return path.join(os.tmpdir(), `packtrail-hostile-tally-${process.ppid}-${started}`);
}

const classFiles = () =>
  fs
    .readdirSync(import.meta.dirname)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => name.replace(/\.test\.ts$/, ''));

/** Logs this class's count and, once every class has reported, the total; returns the total then. */
export function reportCounts(env: HostileEnv): number | undefined {
  const { cases, failures } = env.counts;
  console.log(`hostile ${env.cls}: ${cases} cases, ${failures} failures`);
  const dir = tallyDir();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${env.cls}.json`), JSON.stringify({ cases, failures }));
  const expected = classFiles();
  const reported = new Map<string, { cases: number; failures: number }>();
  for (const name of expected) {
    try {
      reported.set(name, JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as { cases: number; failures: number });
    } catch {
      // Not reported yet (or already tidied away by a class that reported the total).
    }
  }
  if (reported.size < expected.length) return undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  const total = [...reported.values()].reduce((sum, count) => sum + count.cases, 0);
  const failed = [...reported.values()].reduce((sum, count) => sum + count.failures, 0);
  const parts = [...reported].map(([name, count]) => `${name} ${count.cases}/${count.failures}`).join(', ');
  console.log(`hostile: ${total} cases, ${failed} failures (${parts})`);
  return total;
}
