// A HEIC photo (an iPhone's, HEVC-coded) cannot be thumbnailed by the image library the server bundles:
// the share page says so in words and links the original, instead of showing a broken picture.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, uploadFiles, type TestServer } from '../helpers/server';

describe('a shared HEIC photo', () => {
  let server: TestServer;
  let path: string;
  let heicId: string;
  let pngId: string;

  beforeAll(async () => {
    server = await startServer();
    const shop = await setUpShop(server);
    const seller = await shop.token('seller');
    const packer = await shop.token('packer');
    const ok = async (response: Promise<Response>) => {
      const answer = await response;
      if (answer.status >= 300) throw new Error(`${answer.status} ${await answer.text()}`);
      return answer.json();
    };
    const capture = await ok(server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'HEIC-1', kind: 'unboxing' } }));
    const uploaded = await ok(uploadFiles(server, packer, capture.id, [
      { name: 'damage.heic', bytes: new Uint8Array(fs.readFileSync(fixture('photo-hevc.heic'))), type: 'image/heic' },
      { name: 'box.png', bytes: new Uint8Array(fs.readFileSync(fixture('photo.png'))), type: 'image/png' },
    ]));
    [heicId, pngId] = uploaded.media.map((media: { id: string }) => media.id);
    await ok(server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer }));
    const dispute = await ok(server.request('POST', '/api/v1/disputes', { token: seller, json: { orderId: 'HEIC-1', reason: 'return_damaged', counterparty: 'buyer' } }));
    await ok(server.request('POST', `/api/v1/disputes/${dispute.id}/evidence`, { token: seller, json: { captureId: capture.id } }));
    const share = await ok(server.request('POST', `/api/v1/disputes/${dispute.id}/shares`, { token: seller, json: { expiresInHours: 24 } }));
    path = new URL(share.url).pathname;
  });
  afterAll(() => server.close());

  it.each([
    ['en', 'HEIC photo: open the original; no preview can be made.'],
    ['ko', 'HEIC 사진: 원본을 열어 보십시오. 미리 보기를 만들 수 없습니다.'],
    ['zh-TW', 'HEIC 照片：請開啟原始檔案；無法製作預覽。'],
  ])('says in words that no preview can be made (%s), linking the original, and shows no broken picture', async (lang, words) => {
    const html = await (await server.request('GET', `${path}?lang=${lang}`)).text();
    expect(html).toContain(`<p class="no-preview"><a href="${path}/media/${heicId}/original">${words}</a></p>`);
    expect(html).not.toContain(`${heicId}/thumbnail`);
    // Other photos keep their picture.
    expect(html).toContain(`<img src="${path}/media/${pngId}/thumbnail"`);
    // The thumbnail such a picture would ask for indeed cannot be made.
    expect((await server.request('GET', `${path}/media/${heicId}/thumbnail`)).status).toBe(422);
  });
});
