// The share page as a recipient without an account reads it: the case (items, weights with their
// verdict, the return inspection, each file with its caption and tags) in English, Korean or
// Traditional Chinese, chosen by ?lang=, the browser, or the shop; read-only under a strict policy;
// a language switch is the same visit, not another opening.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../server/domain/vocabulary';
import { translations } from '../../server/i18n';
import type { CaptureView } from '../../server/services/captures.service';
import type { EvidenceOriginal } from '../../server/services/disputes.service';
import { formatGrams } from '../../server/web/shared/format';
import { pageLanguage, renderSharePage, SHARE_PAGE_CSP } from '../../server/web/share/share-page';
import { makeSharedCase, SHARED_ORDER, type SharedCase } from '../helpers/share-case';
import { startServer, type TestServer } from '../helpers/server';

const report = translations.reports;
const share = translations.share;
const locales: Record<Language, string> = { en: 'en-US', ko: 'ko-KR', 'zh-TW': 'zh-TW' };

/** The page's text with tags dropped and entities decoded, whitespace made single spaces. */
function textOf(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    // Inline elements run on with their neighbours; blocks and line breaks part them.
    .replace(/<\/?(?:strong|span|a|code)(?:\s[^>]*)?>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

describe('the share page', () => {
  let server: TestServer;
  let shared: SharedCase;
  const pages = new Map<Language, string>();

  const open = (query = '', headers: Record<string, string> = {}) => server.request('GET', `${shared.path}${query}`, { headers });
  const opened = async () =>
    ((await (await server.request('GET', `/api/v1/disputes/${shared.disputeId}/shares`, { token: shared.seller })).json()) as { items: { openCount: number }[] }).items[0].openCount;

  beforeAll(async () => {
    server = await startServer();
    shared = await makeSharedCase(server);
    for (const language of ['en', 'ko', 'zh-TW'] as const) {
      const response = await open(`?lang=${language}`);
      expect(response.status).toBe(200);
      pages.set(language, await response.text());
    }
  });
  afterAll(() => server.close());

  it('shows the case: order, items with their weights, carrier and tracking', () => {
    const text = textOf(pages.get('en')!);
    expect(text).toContain(SHARED_ORDER);
    expect(text).toContain('Item missing');
    expect(text).toContain('CP-5521');
    expect(text).toContain('Linen napkins, dozen');
    expect(text).toContain('SKU NAP-12');
    expect(text).toMatch(/Linen napkins, dozen SKU NAP-12 4 570 g/);
    expect(text).toContain('Napkin ring, brass (pair)');
    expect(text).toContain('CJ Logistics');
    expect(text).toContain('601234567890');
    // The seller's private note about the buyer stays private.
    expect(text).not.toContain('asked for refunds');
  });

  it.each(['en', 'ko', 'zh-TW'] as const)('gives each weighing with the verdict the capture view states (%s)', (language) => {
    const text = textOf(pages.get(language)!);
    const grams = (value: number) => formatGrams(locales[language], value);
    expect(text).toContain(report[language].hWeight);
    for (const capture of [shared.packing, shared.unboxing]) {
      const check = capture.weightCheck!;
      expect(check).toBeDefined();
      expect(text).toContain(grams(check.measuredGrams!));
      const words = share[language][`verdict.${check.verdict}`].replace('{difference}', grams(Math.abs(check.differenceGrams ?? 0)));
      expect(text, `${capture.kind} ${check.verdict}`).toContain(words);
      if (check.expectedGrams !== undefined) expect(text).toContain(`${grams(check.expectedGrams)} ± ${check.tolerancePercent} %`);
    }
  });

  it.each(['en', 'ko', 'zh-TW'] as const)('gives the return inspection’s findings and outcome in the page’s language (%s)', (language) => {
    const r = report[language];
    const text = textOf(pages.get(language)!);
    expect(text).toContain(r.hInspection);
    expect(text).toContain(`${r.outcome} ${r.outcomes.parts_missing}`);
    expect(text).toContain(`${r.checklistItems.outer_box}: ${r.checklistResults.issue} Corner crushed`);
    expect(text).toContain(`${r.checklistItems.seal}: ${r.checklistResults.ok}`);
    expect(text).toContain(`${r.checklistItems.signs_of_use}: ${r.checklistResults.not_applicable}`);
    // The finding's photo is the third shared file, linked to where it is on the page.
    expect(pages.get(language)).toContain('<a href="#e3">E3</a>');
    expect(pages.get(language)).toContain('<figure id="e3">');
  });

  it.each(['en', 'ko', 'zh-TW'] as const)('captions each file: the seller’s words as written, the app’s checklist words in the page’s language (%s)', (language) => {
    const text = textOf(pages.get(language)!);
    expect(text).toContain('Four dozens and the brass rings go in');
    // The packer app wrote "외부 상자" (its Korean name of the row): the page gives the row's name in its own language.
    expect(text).toMatch(new RegExp(`E3 · [^·]+ ${report[language].checklistItems.outer_box} `));
    if (language !== 'ko') expect(text).not.toContain('외부 상자');
    expect(text).toContain(share[language].playback);
  });

  it('is written in the language asked for, with a switch that keeps the token', () => {
    for (const [language, html] of pages) {
      expect(html).toContain(`<html lang="${language}">`);
      expect(html).toContain(`<title>${share[language].title} · ${SHARED_ORDER}</title>`);
      expect(html).toContain(`<nav class="languages" aria-label="${share[language].language}">`);
      for (const other of ['en', 'ko', 'zh-TW']) expect(html).toContain(`href="${shared.path}?lang=${other}" lang="${other}" hreflang="${other}"`);
      expect(html).toMatch(new RegExp(`hreflang="${language}" aria-current="page"`));
      expect(html.slice(html.indexOf('<body>')).match(/aria-current/g)).toHaveLength(1);
      // The download stays, in the same language.
      expect(html).toContain(`href="${shared.path}/bundle.zip?lang=${language}"`);
    }
    expect(textOf(pages.get('ko')!)).toContain('증거 묶음 내려받기');
    expect(textOf(pages.get('zh-TW')!)).toContain(report['zh-TW'].hInspection);
  });

  it('without ?lang= follows the browser, most preferred first, then the shop’s report language', async () => {
    expect(await (await open('', { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8' })).text()).toContain('<html lang="ko">');
    expect(await (await open('', { 'accept-language': 'en;q=0.4, zh-TW;q=0.9' })).text()).toContain('<html lang="zh-TW">');
    expect((await server.request('PATCH', '/api/v1/shop', { token: shared.shop.ownerToken, json: { reportLanguage: 'ko' } })).status).toBe(200);
    expect(await (await open('', { 'accept-language': 'fr-FR,fr;q=0.9' })).text()).toContain('<html lang="ko">');
    expect(await (await open('')).text()).toContain('<html lang="ko">');
    expect(pageLanguage('de, ko;q=0')).toBeUndefined();
  });

  it('answers an unknown language as bad input', async () => {
    const response = await open('?lang=fr');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });

  it('runs no script and loads nothing from elsewhere: its one style block is allowed by hash', async () => {
    const response = await open('?lang=en');
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toBe(SHARE_PAGE_CSP);
    expect(policy).toContain("script-src 'none'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
    const style = html.match(/<style>([\s\S]*?)<\/style>/)![1];
    expect(policy).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(response.headers.get('x-robots-tag')).toBe('noindex, nofollow');
  });

  it('counts a load of the link as an opening, but not a language switch, which is still audited', async () => {
    const before = await opened();
    expect((await open()).status).toBe(200);
    expect(await opened()).toBe(before + 1);
    expect((await open('?lang=ko')).status).toBe(200);
    expect((await open('?lang=en')).status).toBe(200);
    expect(await opened()).toBe(before + 1);
    const custody = await (await server.request('GET', `/api/v1/disputes/${shared.disputeId}/custody`, { token: shared.seller })).json();
    const accesses = (custody.items as { action: string; detail?: { languageSwitch?: string } }[]).filter((event) => event.action === 'share_access');
    expect(accesses.slice(-3).map((event) => event.detail?.languageSwitch)).toEqual([undefined, 'ko', 'en']);
  });
});

describe('tags on the share page', () => {
  // Rendered from the capture views the service hands over: media views carry `tags` once tagging exists.
  // `undefined` stands for a view from before tags existed: the page must not trip on it.
  const input = (tags: string[] | undefined) => {
    const media = {
      id: 'med-1',
      captureId: 'cap-1',
      type: 'photo' as const,
      mime: 'image/jpeg',
      bytes: 1234,
      sha256: 'a'.repeat(64),
      receivedAt: '2026-05-01T05:03:40.000Z',
      processingStatus: 'ready' as const,
      ...(tags ? { tags } : {}),
    };
    const capture: CaptureView = { id: 'cap-1', orderId: 'T-1', kind: 'packing', status: 'finished', startedAt: '2026-05-01T05:03:00.000Z', media: [media as CaptureView['media'][number]] };
    const row = { id: 'med-1', capture_id: 'cap-1', type: 'photo', mime: 'image/jpeg', bytes: 1234, sha256: 'a'.repeat(64), received_at: media.receivedAt } as EvidenceOriginal['row'];
    return (language: Language) =>
      renderSharePage({
        language,
        base: '/s/token-1234567',
        shop: { name: 'Shop', timezone: 'Asia/Seoul' },
        expiresAt: '2026-06-01T00:00:00.000Z',
        dispute: { id: 'd-1', orderId: 'T-1', reason: 'damaged', counterparty: 'courier', status: 'open', createdAt: '2026-05-03T00:00:00.000Z' },
        order: { orderId: 'T-1', items: [], itemsWithoutWeight: 0, trackingNumbers: [], createdAt: '2026-05-01T00:00:00.000Z', updatedAt: '2026-05-01T00:00:00.000Z', captures: [capture] },
        originals: [{ row, capture }],
      });
  };

  it.each(['en', 'ko', 'zh-TW'] as const)('are shown in the page’s language when present, known codes only (%s)', (language) => {
    const html = input(['damage', 'label_closeup', 'not_a_code'])(language);
    const t = share[language];
    expect(html).toContain(`<ul class="tags" aria-label="${t.tags}"><li>${t['tag.label_closeup']}</li><li>${t['tag.damage']}</li></ul>`);
    expect(html).not.toContain('not_a_code');
  });

  it('are left out for a file without tags, or a view that has no tags field', () => {
    expect(input([])('en')).not.toContain('class="tags"');
    expect(input(undefined)('en')).not.toContain('class="tags"');
  });
});
