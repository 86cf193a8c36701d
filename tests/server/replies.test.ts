// Reply drafts and their templates: defaults filled with a real order's and dispute's facts in each
// language, the owner's own wording used in the next draft, placeholders checked, reset to default.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disputeReasons, replyStages } from '../../server/domain/vocabulary';
import { translations } from '../../server/i18n';
import { fixture, setUpShop, startServer, uploadFiles, type TestServer } from '../helpers/server';

interface Draft {
  stage: string;
  body: string;
  isDefault: boolean;
  missing: { placeholder: string; marker: string }[];
}

describe('reply drafts', () => {
  let server: TestServer;
  let owner: string;
  let seller: string;
  let packer: string;
  let disputeId: string;
  const now = new Date('2026-11-23T09:00:00Z');

  beforeAll(async () => {
    server = await startServer({}, { clock: () => now });
    const shop = await setUpShop(server);
    owner = shop.ownerToken;
    seller = await shop.token('seller');
    packer = (await shop.deviceToken()).token;
    await server.request('PUT', '/api/v1/orders/NAP-1', {
      token: seller,
      json: { buyer: { name: '김민준' }, items: [{ name: 'Linen napkins', quantity: 4, unitWeightGrams: 570 }], carrier: 'CJ대한통운', trackingNumbers: ['601234567890'] },
    });
    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'NAP-1', kind: 'packing', weight: { value: 2310, unit: 'g' } } })).json();
    const upload = await uploadFiles(server, packer, capture.id, [{ name: 'inside.png', bytes: new Uint8Array(fs.readFileSync(fixture('photo.png'))) }]);
    const photoId = (await upload.json()).media[0].id;
    await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer });
    const dispute = await (await server.request('POST', '/api/v1/disputes', {
      token: seller,
      json: { orderId: 'NAP-1', reason: 'item_missing', counterparty: 'buyer', respondBy: '2026-11-30T00:00:00Z' },
    })).json();
    disputeId = dispute.id;
    await server.request('POST', `/api/v1/disputes/${disputeId}/evidence`, { token: seller, json: { mediaId: photoId, caption: 'All four napkins in the box' } });
  });
  afterAll(() => server.close());

  const drafts = async (lang: string, id = disputeId, token = seller) => {
    const response = await server.request('GET', `/api/v1/disputes/${id}/replies?lang=${lang}`, { token });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { reason: string; language: string; drafts: Draft[] };
    return Object.fromEntries(answer.drafts.map((draft) => [draft.stage, draft])) as Record<string, Draft>;
  };
  const put = (body: unknown, token = owner, path = 'item_missing/first_reply/en') =>
    server.request('PUT', `/api/v1/reply-templates/${path}`, { token, json: body });

  it('fills the defaults with the order’s and the dispute’s facts, times in the shop’s zone, at every stage', async () => {
    const byStage = await drafts('en');
    expect(Object.keys(byStage)).toEqual([...replyStages]);
    const first = byStage.first_reply;
    expect(first.isDefault).toBe(true);
    for (const fact of ['Dear 김민준,', 'order NAP-1', 'Linen napkins × 4', '2026-11-23 18:00:00 KST', '2,310 g (expected 2,280 g)', 'CJ대한통운', '601234567890', '2026-11-30 09:00:00 KST', '포장 상점']) {
      expect(first.body).toContain(fact);
    }
    // Every option in writing, the fee the shop has not set left for the seller to fill in.
    for (const option of ['1. Refund:', '2. Exchange:', '3. Return:', '4. Evidence:']) expect(first.body).toContain(option);
    expect(first.body).toContain('the return shipping fee is [return shipping fee: fill in the amount]');
    expect(first.missing.map((entry) => entry.placeholder)).toEqual(['returnFee']);
    expect(first.body).not.toMatch(/\{\w+\}/);

    const evidence = byStage.evidence_sent;
    expect(evidence.body).toContain('- Packing · Photo, recorded 2026-11-23 18:00:00 KST: All four napkins in the box');
    expect(evidence.body).toContain('[share link: create one on the dispute page and paste it here]');
    expect(evidence.missing.map((entry) => entry.placeholder).sort()).toEqual(['returnFee', 'shareLink']);

    // An open dispute has no outcome yet: the marker says so.
    expect(byStage.resolution.body).toContain('[outcome: not on record, please fill in]');
    await server.request('PATCH', `/api/v1/disputes/${disputeId}`, { token: seller, json: { status: 'won' } });
    expect((await drafts('en')).resolution.body).toContain('decided in our favour');
    await server.request('PATCH', `/api/v1/disputes/${disputeId}`, { token: seller, json: { status: 'open' } });
  });

  it('writes each language in its own words', async () => {
    const ko = (await drafts('ko')).first_reply.body;
    expect(ko).toContain('김민준 고객님, 안녕하세요.');
    expect(ko).toContain('2,310 g');
    expect(ko).toContain('1. 환불:');
    expect(ko).toContain('반품 배송비는 [반품 배송비: 금액을 입력해 주세요]입니다.');
    const zh = (await drafts('zh-TW')).first_reply.body;
    expect(zh).toContain('김민준 您好');
    expect(zh).toContain('1. 退款：');
    expect(zh).toContain('[退貨運費：請填入金額]');
    expect((await drafts('zh-TW')).resolution.body).toContain('[處理結果：無紀錄，請自行填寫]');
  });

  it('marks the facts an order does not have rather than leaving a gap', async () => {
    expect((await server.request('PUT', '/api/v1/orders/BARE-9', { token: seller, json: {} })).status).toBeLessThan(300);
    const { id } = await (await server.request('POST', '/api/v1/disputes', { token: seller, json: { orderId: 'BARE-9', reason: 'chargeback', counterparty: 'payment_processor' } })).json();
    const first = (await drafts('en', id)).first_reply;
    expect(first.body).toContain('placed by [buyer’s name: not on record, please fill in]');
    expect(first.body).toContain('weighed [parcel weight: not on record, please fill in]');
    expect(first.missing.map((entry) => entry.placeholder)).toEqual(
      expect.arrayContaining(['buyerName', 'reference', 'amount', 'items', 'packedAt', 'weight', 'trackingNumber', 'carrier', 'respondBy', 'returnFee']),
    );
    expect((await drafts('en', id)).evidence_sent.body).toContain('[evidence list: no evidence picked yet, add it on the dispute page]');
  });

  it('lists every template, default until the owner edits one, for staff', async () => {
    const response = await server.request('GET', '/api/v1/reply-templates?lang=ko', { token: seller });
    expect(response.status).toBe(200);
    const answer = await response.json();
    expect(answer.items).toHaveLength(disputeReasons.length * replyStages.length);
    expect(answer.items.every((item: { isDefault: boolean; language: string }) => item.isDefault && item.language === 'ko')).toBe(true);
    expect(answer.items[0].body).toBe(translations.replies.ko.templates.item_missing.first_reply);
    expect(answer.placeholders).toContain('returnFee');
    expect((await server.request('GET', '/api/v1/reply-templates', { token: packer })).status).toBe(403);
  });

  it('uses the owner’s wording in the next draft, and goes back to the default on reset', async () => {
    const saved = await put({ body: 'Hello {buyerName}, about order {orderId}: refund, exchange, or return for {returnFee}.' });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ reason: 'item_missing', stage: 'first_reply', language: 'en', isDefault: false });
    expect((await drafts('en')).first_reply).toMatchObject({
      body: 'Hello 김민준, about order NAP-1: refund, exchange, or return for [return shipping fee: fill in the amount].',
      isDefault: false,
    });
    // Other languages and stages keep their defaults.
    expect((await drafts('ko')).first_reply.isDefault).toBe(true);
    const listed = await (await server.request('GET', '/api/v1/reply-templates?lang=en', { token: owner })).json();
    expect(listed.items.filter((item: { isDefault: boolean }) => !item.isDefault)).toHaveLength(1);

    expect((await server.request('DELETE', '/api/v1/reply-templates/item_missing/first_reply/en', { token: owner })).status).toBe(204);
    const reset = (await drafts('en')).first_reply;
    expect(reset.isDefault).toBe(true);
    expect(reset.body).toContain('Dear 김민준,');
    // Resetting what is already the default changes nothing and still succeeds.
    expect((await server.request('DELETE', '/api/v1/reply-templates/item_missing/first_reply/en', { token: owner })).status).toBe(204);
  });

  it('keeps the default when the owner saves its own words unchanged', async () => {
    const saved = await put({ body: translations.replies.en.templates.item_missing.first_reply });
    expect(saved.status).toBe(200);
    expect((await saved.json()).isDefault).toBe(true);
  });

  it('refuses an unknown placeholder by name, an empty or overlong body, and bad paths', async () => {
    const unknown = await put({ body: 'Dear {buyerName}, your {parcelColour} order {orderId} and {nickname}' });
    expect(unknown.status).toBe(400);
    const error = await unknown.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('{parcelColour}, {nickname}');
    expect(error.details).toEqual({ unknownPlaceholders: ['parcelColour', 'nickname'] });
    expect((await put({ body: '   ' })).status).toBe(400);
    expect((await put({ body: 'x'.repeat(4001) })).status).toBe(400);
    expect((await put({ body: 'fine', extra: 1 })).status).toBe(400);
    expect((await put({ body: 'fine' }, owner, 'bored/first_reply/en')).status).toBe(400);
    expect((await put({ body: 'fine' }, owner, 'item_missing/first_reply/fr')).status).toBe(400);
    expect((await server.request('GET', '/api/v1/disputes/00000000-0000-4000-8000-000000000000/replies', { token: seller })).status).toBe(404);
  });

  it('lets only the owner edit or reset', async () => {
    const asSeller = await put({ body: 'Hello {buyerName}' }, seller);
    expect(asSeller.status).toBe(403);
    expect((await asSeller.json()).code).toBe('FORBIDDEN');
    expect((await server.request('DELETE', '/api/v1/reply-templates/item_missing/first_reply/en', { token: seller })).status).toBe(403);
    expect((await put({ body: 'Hello {buyerName}' }, packer)).status).toBe(403);
    expect((await server.request('GET', `/api/v1/disputes/${disputeId}/replies`, { token: packer })).status).toBe(403);
  });
});
