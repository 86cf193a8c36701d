// The shared client core (server/web/shared): the one API call, language choice, message lookup and
// formatting that the dashboard and the packer app both run, and the check that they do.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { languages } from '../../server/domain/vocabulary';
import { projectPath } from '../../server/paths';
import { ApiError, callApi } from '../../server/web/shared/api';
import { formatGrams, formatMoney, formatNumber, formatTime } from '../../server/web/shared/format';
import { matchLanguage, pickLanguage, translate, type Messages } from '../../server/web/shared/i18n';
import { startServer, type TestServer } from '../helpers/server';

const messages: Messages = {
  en: { 'files': { one: '{count} file', other: '{count} files' }, 'hello': 'Hello, {name}', 'only.en': 'English only', 'proto': 'Not {constructor}' },
  ko: { 'files': '파일 {count}개', 'hello': '{name}님, 안녕하세요' },
  'zh-TW': { 'files': '{count} 個檔案', 'hello': '{name}，您好' },
};

describe('message lookup', () => {
  it('picks the plural form by the language’s own rules', () => {
    expect(translate(messages, 'en', 'files', { count: 1 })).toBe('1 file');
    expect(translate(messages, 'en', 'files', { count: 0 })).toBe('0 files');
    expect(translate(messages, 'en', 'files', { count: 2 })).toBe('2 files');
    expect(translate(messages, 'ko', 'files', { count: 1 })).toBe('파일 1개');
  });

  it('fills placeholders, leaves unknown ones visible, and falls back to English, then to the key', () => {
    expect(translate(messages, 'zh-TW', 'hello', { name: '王' })).toBe('王，您好');
    expect(translate(messages, 'ko', 'hello')).toBe('{name}님, 안녕하세요');
    expect(translate(messages, 'ko', 'only.en')).toBe('English only');
    expect(translate(messages, 'ko', 'missing.key')).toBe('missing.key');
    expect(translate(messages, 'en', 'proto', {})).toBe('Not {constructor}');
  });
});

describe('language choice', () => {
  it('reads Traditional Chinese for zh-Hant, Taiwan, Hong Kong and Macao tags, as zh-TW', () => {
    for (const tag of ['zh-Hant', 'zh-Hant-TW', 'zh-TW', 'zh-HK', 'zh-MO', 'ZH-hant-hk']) expect(matchLanguage(tag), tag).toBe('zh-TW');
    expect(matchLanguage('ko-KR')).toBe('ko');
    expect(matchLanguage('en-GB')).toBe('en');
    expect(matchLanguage('zh-CN')).toBeUndefined();
    expect(matchLanguage('fr-FR')).toBeUndefined();
  });

  it('prefers the saved choice (the old zh-Hant code included), then the browser’s languages in order', () => {
    expect(pickLanguage('zh-Hant', ['ko-KR'])).toBe('zh-TW');
    expect(pickLanguage('ko', ['en-US'])).toBe('ko');
    expect(pickLanguage('klingon', ['fr-FR', 'ko-KR', 'en-US'])).toBe('ko');
    expect(pickLanguage(null, ['zh-Hant-TW', 'en-US'])).toBe('zh-TW');
    expect(pickLanguage(null, [])).toBe('en');
  });

  it('gives a reader of Chinese in another script Traditional Chinese only when nothing else matches', () => {
    expect(pickLanguage(null, ['zh-CN'])).toBe('zh-TW');
    expect(pickLanguage(null, ['zh-CN', 'en-US'])).toBe('en');
    expect(pickLanguage(null, ['fr-FR'])).toBe('en');
  });

  it('offers exactly the vocabulary’s languages', () => {
    for (const language of languages) expect(matchLanguage(language)).toBe(language);
  });
});

describe('formatting', () => {
  it('shows a server time in the shop’s zone, whatever the computer’s zone, with the zone named', () => {
    // 15:00 UTC on 1 March is already 2 March in Seoul.
    const seoul = formatTime('en-US', '2024-03-01T15:00:00Z', 'Asia/Seoul');
    expect(seoul).toContain('Mar 2, 2024');
    expect(seoul).toMatch(/12:00:00\sAM GMT\+9/);
    expect(formatTime('en-US', '2024-03-01T15:00:00Z', 'America/New_York')).toMatch(/Mar 1, 2024.*10:00:00\sAM EST/);
    expect(formatTime('ko-KR', '2024-03-01T15:00:00Z', 'Asia/Seoul', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })).toContain('00:00');
  });

  it('never writes an English day period inside Korean or Chinese times, in Node as in a browser', () => {
    // 06:07 UTC is 15:07 in Seoul and 14:07 in Taipei: afternoon, where a bare "PM" once appeared in Korean.
    for (const [locale, zone] of [['ko-KR', 'Asia/Seoul'], ['zh-TW', 'Asia/Taipei']]) {
      for (const options of [undefined, { dateStyle: 'medium', timeStyle: 'short' } as const, { hour: 'numeric', minute: '2-digit' } as const]) {
        const text = formatTime(locale, '2024-03-05T06:07:08Z', zone, options);
        expect(text, `${locale} ${JSON.stringify(options)}`).not.toMatch(/\b[AP]\.?M\.?\b/i);
        // Either the locale's own afternoon word with a 12-hour clock, or a 24-hour clock.
        const afternoon = locale === 'ko-KR' ? /오후\s?3|15/ : /下午\s?2|14/;
        expect(text, `${locale} ${JSON.stringify(options)}`).toMatch(afternoon);
      }
    }
    // The share page's own call, as Node renders it.
    expect(formatTime('ko-KR', '2024-03-05T06:07:08Z', 'Asia/Seoul')).toMatch(/2024\. 3\. 5\..*(오후 3시 7분 8초|15시 7분 8초)/);
    // English keeps its AM/PM, and a caller's own clock choice is kept.
    expect(formatTime('en-US', '2024-03-05T06:07:08Z', 'Asia/Seoul')).toMatch(/3:07:08\sPM/);
    expect(formatTime('ko-KR', '2024-03-05T06:07:08Z', 'Asia/Seoul', { hour: 'numeric', hour12: false })).toContain('15');
  });

  it('falls back to UTC, named, for a zone the runtime does not know', () => {
    expect(formatTime('en-US', '2024-03-01T15:00:00Z', 'Mars/Olympus_Mons')).toMatch(/3:00:00\sPM UTC/);
  });

  it('shows weights in whole grams with the locale’s grouping', () => {
    expect(formatGrams('en-US', 2280)).toBe('2,280 g');
    expect(formatGrams('en-US', 2280.4)).toBe('2,280 g');
    expect(formatGrams('ko-KR', 12500)).toBe('12,500 g');
    expect(formatNumber('en-US', 12.345, { maximumFractionDigits: 1 })).toBe('12.3');
  });

  it('shows money in its currency, and an unknown currency code after the number', () => {
    expect(formatMoney('ko-KR', 12000, 'KRW')).toBe('₩12,000');
    expect(formatMoney('en-US', 12.5, 'USD')).toBe('$12.50');
    expect(formatMoney('en-US', 12, 'not a currency')).toBe('12 not a currency');
  });
});

describe('the API call', () => {
  afterEach(() => vi.unstubAllGlobals());

  const answer = (status: number, body: string, contentType = 'application/json') =>
    vi.stubGlobal('fetch', vi.fn(async () => new Response(status === 204 ? null : body, { status, headers: { 'content-type': contentType } })));

  it('sends JSON to /api/v1 and returns the JSON answer', async () => {
    answer(200, '{"ok":true}');
    expect(await callApi('POST', '/things', { body: { a: 1 }, headers: { authorization: 'Bearer x' } })).toEqual({ ok: true });
    const [url, init] = vi.mocked(fetch).mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/v1/things');
    expect(init).toMatchObject({ method: 'POST', body: '{"a":1}', cache: 'no-store' });
    expect(init.headers).toMatchObject({ authorization: 'Bearer x', 'content-type': 'application/json', accept: 'application/json' });
  });

  it('answers nothing for 204', async () => {
    answer(204, '');
    expect(await callApi('DELETE', '/things/1')).toBeUndefined();
  });

  it('turns a refusal into an ApiError with the server’s stable code and message', async () => {
    answer(409, '{"statusCode":409,"code":"CAPTURE_FINISHED","error":"Conflict","message":"The capture is finished."}');
    const error = await callApi('PATCH', '/captures/1', { body: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'CAPTURE_FINISHED', message: 'The capture is finished.' });
  });

  it('keeps a proxy’s plain-text refusal readable, under a code made from its status', async () => {
    answer(502, 'Bad gateway from the proxy', 'text/plain');
    await expect(callApi('GET', '/me')).rejects.toMatchObject({ status: 502, code: 'HTTP_502', message: 'Bad gateway from the proxy' });
  });

  it('reports no answer at all as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(callApi('GET', '/me')).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
  });

  it('lets the caller see every answer (the packer app reads the server’s clock from it)', async () => {
    answer(401, '{"code":"UNAUTHORIZED","message":"No."}');
    const seen: number[] = [];
    await callApi('GET', '/me', { onAnswer: (response) => seen.push(response.status) }).catch(() => {});
    expect(seen).toEqual([401]);
  });
});

describe('one copy for every app', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const read = (file: string) => fs.readFileSync(projectPath(file), 'utf8');
  const packFiles = () =>
    fs.readdirSync(projectPath('server/web/pack')).filter((name) => name.endsWith('.js')).map((name) => ({ name, text: read(`server/web/pack/${name}`) }));

  it('the dashboard and the packer app both call the API, pick languages and look words up through server/web/shared', () => {
    expect(read('server/web/dashboard/api.ts')).toMatch(/from '\.\.\/shared\/api'/);
    expect(read('server/web/dashboard/i18n.ts')).toMatch(/from '\.\.\/shared\/i18n'/);
    expect(read('server/web/pack/api.js')).toMatch(/from '\.\/shared\.js'/);
    expect(read('server/web/pack/i18n.js')).toMatch(/from '\.\/shared\.js'/);
    const copies = /function matchLanguage|function translate|class ApiError|new Intl\.PluralRules|navigator\.languages|json\?\.code|body\?\.code/;
    for (const { name, text } of [...packFiles(), { name: 'dashboard/api.ts', text: read('server/web/dashboard/api.ts') }, { name: 'dashboard/i18n.ts', text: read('server/web/dashboard/i18n.ts') }]) {
      expect(text, name).not.toMatch(copies);
    }
  });

  it('reaches the packer app as /pack/shared.js, built from server/web/shared, and behaves as the dashboard’s', async () => {
    const response = await fetch(`${server.url}/pack/shared.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    const source = await response.text();
    // It takes the language list from the app's vocabulary.js, not from a copy of its own.
    expect(source).toMatch(/from "\.\/vocabulary\.js"/);
    const vocabulary = await (await fetch(`${server.url}/pack/vocabulary.js`)).text();
    const vocabularyUrl = `data:text/javascript,${encodeURIComponent(vocabulary)}`;
    const served = await import(`data:text/javascript,${encodeURIComponent(source.replace('"./vocabulary.js"', JSON.stringify(vocabularyUrl)))}`);
    for (const tag of ['zh-Hant-TW', 'zh-HK', 'ko-KR', 'en-GB', 'zh-CN', 'fr']) expect(served.matchLanguage(tag), tag).toBe(matchLanguage(tag));
    expect(served.translate(messages, 'en', 'files', { count: 1 })).toBe('1 file');
    expect(served.formatTime('en-US', '2024-03-01T15:00:00Z', 'Asia/Seoul')).toBe(formatTime('en-US', '2024-03-01T15:00:00Z', 'Asia/Seoul'));
    expect(new served.ApiError(409, 'X', 'm')).toMatchObject({ status: 409, code: 'X', message: 'm' });
  });

  it('is part of the packer app’s offline shell and preloaded with its page', async () => {
    const worker = await (await fetch(`${server.url}/pack/sw.js`)).text();
    expect(worker).toContain('"shared.js"');
    expect(worker).not.toContain('__PACKTRAIL_');
    expect(await (await fetch(`${server.url}/pack/`)).text()).toContain('href="shared.js"');
  });

  it('serves the barcode library through the same mechanism, outside the shell (only some phones need it)', async () => {
    const response = await fetch(`${server.url}/pack/vendor/zxing.min.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect((await response.text()).length).toBeGreaterThan(100_000);
    expect(await (await fetch(`${server.url}/pack/sw.js`)).text()).not.toContain('zxing');
  });
});
