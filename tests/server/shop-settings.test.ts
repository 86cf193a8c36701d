// The shop's settings: name, time zone (IANA, checked) and the language exports are written in by default.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpShop, startServer, tempDir, type Shop, type TestServer } from '../helpers/server';

/** The manifest of a downloaded ZIP: which document it holds, and in which language. */
async function manifestOf(response: Response): Promise<{ files: { path: string; description: string }[] }> {
  expect(response.status).toBe(200);
  const dir = tempDir('packtrail-settings-');
  const zip = path.join(dir, 'packet.zip');
  fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
  execFileSync('unzip', ['-q', zip, 'manifest.json', '-d', dir]);
  return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
}

const documentOf = (manifest: { files: { path: string; description: string }[] }) =>
  manifest.files.find((file) => file.path.endsWith('.pdf'))!.description;

describe('shop settings', () => {
  let server: TestServer;
  let shop: Shop;
  let seller: string;
  beforeAll(async () => {
    server = await startServer();
    shop = await setUpShop(server, 'Asia/Seoul');
    seller = await shop.token('seller');
  });
  afterAll(() => server.close());

  const patch = (json: unknown, token = shop.ownerToken) => server.request('PATCH', '/api/v1/shop', { token, json });

  it('staff read the settings; English is the report language until the owner picks one', async () => {
    const answer = await server.request('GET', '/api/v1/shop', { token: seller });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ name: '포장 상점', timezone: 'Asia/Seoul', reportLanguage: 'en', packagingWeightGrams: 0, weightTolerancePercent: 5 });
    expect((await server.request('GET', '/api/v1/shop', { token: await shop.token('packer') })).status).toBe(403);
  });

  it('the owner renames the shop and moves its time zone; /me shows both at once', async () => {
    const answer = await patch({ name: 'Napkin House', timezone: 'asia/taipei' });
    expect(answer.status).toBe(200);
    // The zone is kept in its canonical spelling.
    expect(await answer.json()).toEqual({ name: 'Napkin House', timezone: 'Asia/Taipei', reportLanguage: 'en', packagingWeightGrams: 0, weightTolerancePercent: 5 });
    const me = await (await server.request('GET', '/api/v1/me', { token: seller })).json();
    expect(me.shop).toEqual({ name: 'Napkin House', timezone: 'Asia/Taipei', reportLanguage: 'en', packagingWeightGrams: 0, weightTolerancePercent: 5 });
    // Fields left out stay as they are.
    expect(await (await patch({ timezone: 'Asia/Seoul' })).json()).toMatchObject({ name: 'Napkin House', timezone: 'Asia/Seoul' });
  });

  it('refuses a time zone Intl does not know, an empty name and a language outside the vocabulary, changing nothing', async () => {
    for (const body of [{ timezone: 'Mars/Olympus' }, { timezone: '+09:00' }, { timezone: '' }, { name: '' }, { name: '   ' }, { reportLanguage: 'fr' }, { reportLanguage: 'zh-Hant' }, { colour: 'red' }]) {
      const answer = await patch(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect((await answer.json()).code).toBe('VALIDATION_FAILED');
    }
    expect(await (await server.request('GET', '/api/v1/shop', { token: seller })).json()).toEqual({ name: 'Napkin House', timezone: 'Asia/Seoul', reportLanguage: 'en', packagingWeightGrams: 0, weightTolerancePercent: 5 });
  });

  it('only the owner changes settings', async () => {
    const answer = await patch({ name: 'Seller was here' }, seller);
    expect(answer.status).toBe(403);
    expect((await answer.json()).code).toBe('FORBIDDEN');
  });

  it("bundles and claim packets are written in the shop's report language unless the export names one", async () => {
    await server.request('PUT', '/api/v1/orders/SET-1', {
      token: seller,
      json: { buyer: { name: '김민준' }, carrier: 'CJ Logistics', trackingNumbers: ['601234567891'], items: [{ name: 'Napkins', quantity: 1 }] },
    });
    const dispute = await (await server.request('POST', '/api/v1/disputes', { token: seller, json: { orderId: 'SET-1', reason: 'damaged', counterparty: 'courier' } })).json();
    const bundle = (query = '') => server.request('GET', `/api/v1/disputes/${dispute.id}/bundle.zip${query}`, { token: seller });
    const claimPacket = (query = '') => server.request('GET', `/api/v1/disputes/${dispute.id}/claim-packet.zip${query}`, { token: seller });

    expect(documentOf(await manifestOf(await bundle()))).toBe('Case report (en)');

    expect((await patch({ reportLanguage: 'ko' })).status).toBe(200);
    expect(documentOf(await manifestOf(await bundle()))).toBe('Case report (ko)');
    expect(documentOf(await manifestOf(await claimPacket()))).toMatch(/^Courier claim letter \(.+, ko\)$/);
    // Naming a language still wins.
    expect(documentOf(await manifestOf(await bundle('?lang=zh-TW')))).toBe('Case report (zh-TW)');
    expect(documentOf(await manifestOf(await bundle('?lang=en')))).toBe('Case report (en)');

    // A share link's download follows the setting too.
    const share = await (await server.request('POST', `/api/v1/disputes/${dispute.id}/shares`, { token: seller, json: { expiresInHours: 1 } })).json();
    expect((await patch({ reportLanguage: 'zh-TW' })).status).toBe(200);
    expect(documentOf(await manifestOf(await fetch(`${server.url}${new URL(share.url).pathname}/bundle.zip`)))).toBe('Case report (zh-TW)');
  }, 60_000);
});
