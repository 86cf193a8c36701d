// The README files a recipient opens first: README.txt at the top names what the ZIP is (an evidence
// bundle, or a courier claim packet) and describes its document truthfully, every name in one column;
// verification/README.txt speaks the language of the document beside it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, setUpShop, startServer, tempDir, type TestServer } from '../helpers/server';

async function unzip(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  const dir = tempDir('packtrail-readme-');
  const zip = path.join(dir, 'out.zip');
  fs.writeFileSync(zip, Buffer.from(await response.arrayBuffer()));
  execFileSync('unzip', ['-q', zip, '-d', path.join(dir, 'out')]);
  return path.join(dir, 'out');
}

const readText = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

/** The column where each listed name's description starts, for the rows of one language's section. */
function descriptionColumns(readme: string, names: string[]): number[] {
  return readme
    .split('\n')
    .filter((line) => names.some((name) => line.startsWith(`${name} `)))
    .map((line) => line.search(/ \S/) + 1);
}

describe('README files in bundles and claim packets', () => {
  let server: TestServer;
  let seller: string;
  let disputeId: string;

  beforeAll(async () => {
    server = await startServer();
    const shop = await setUpShop(server, 'Asia/Seoul');
    seller = await shop.token('seller');
    const packer = await shop.token('packer');
    await server.request('PUT', '/api/v1/orders/RD-1', {
      token: seller,
      json: { items: [{ name: 'Mug', quantity: 1, unitWeightGrams: 380 }], carrier: 'CJ대한통운', trackingNumbers: ['6012-0000-2222'] },
    });
    const packing = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'RD-1', kind: 'packing', weight: { value: 530, unit: 'g' } } })).json();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(fixture('photo.png')))]), 'box.png');
    expect((await server.request('POST', `/api/v1/captures/${packing.id}/media`, { token: packer, body: form })).status).toBe(201);
    await server.request('POST', `/api/v1/captures/${packing.id}/finish`, { token: packer });
    const dispute = await (await server.request('POST', '/api/v1/disputes', {
      token: seller,
      json: { orderId: 'RD-1', reason: 'damaged', counterparty: 'courier', damageDescription: 'Handle broken' },
    })).json();
    disputeId = dispute.id;
    await server.request('POST', `/api/v1/disputes/${disputeId}/evidence`, { token: seller, json: { captureId: packing.id } });
  });
  afterAll(() => server.close());

  it('calls a claim packet a claim packet, describes its letter truthfully, and lines up its columns', async () => {
    const dir = await unzip(await server.request('GET', `/api/v1/disputes/${disputeId}/claim-packet.zip?lang=ko`, { token: seller }));
    const readme = readText(dir, 'README.txt');
    expect(readme.split('\n')[0]).toBe('PACKTRAIL COURIER CLAIM PACKET');
    expect(readme).not.toContain('EVIDENCE BUNDLE');
    // The letter holds no timeline: the README does not promise one.
    expect(readme).not.toMatch(/timeline|타임라인|時間軸/);
    expect(readme).toMatch(/claim-letter\.pdf +the claim letter: shipment facts/);
    expect(readme).toContain('every file in this packet');
    expect(readme).toContain('이 청구 서류 묶음의 모든 파일');
    const columns = descriptionColumns(readme, ['claim-letter.pdf', 'media/', 'verification/', 'manifest.json']);
    expect(columns).toHaveLength(12);
    expect(new Set(columns).size, readme).toBe(1);

    const manifest = JSON.parse(readText(dir, 'manifest.json'));
    expect(manifest.files.find((file: { path: string }) => file.path === 'README.txt').description).toBe('What is in this claim packet and how to check it');
  });

  it('gives the verification README in the letter’s language, naming the packet', async () => {
    const korean = readText(await unzip(await server.request('GET', `/api/v1/disputes/${disputeId}/claim-packet.zip?lang=ko`, { token: seller })), 'verification/README.txt');
    expect(korean.split('\n')[0]).toBe('이 청구 서류 묶음을 확인하는 방법');
    expect(korean).toContain('압축을 푼 청구 서류 묶음 폴더를 선택합니다');
    expect(korean).toContain('시각: 이 청구 서류 묶음의 모든 시각');
    expect(korean).not.toContain('How to check');

    const chinese = readText(await unzip(await server.request('GET', `/api/v1/disputes/${disputeId}/claim-packet.zip?lang=zh-TW`, { token: seller })), 'verification/README.txt');
    expect(chinese.split('\n')[0]).toBe('如何查驗本理賠申請包');
    expect(chinese).toContain('理賠申請函');
  });

  it('keeps the evidence bundle’s own words: its report, its timeline, its English verification README', async () => {
    const dir = await unzip(await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=en`, { token: seller }));
    const readme = readText(dir, 'README.txt');
    expect(readme.split('\n')[0]).toBe('PACKTRAIL EVIDENCE BUNDLE');
    expect(readme).toMatch(/report\.pdf +the case: order, timeline with server times/);
    expect(new Set(descriptionColumns(readme, ['report.pdf', 'media/', 'verification/', 'manifest.json'])).size).toBe(1);
    const verification = readText(dir, 'verification/README.txt');
    expect(verification.split('\n').slice(0, 2)).toEqual(['How to check this evidence bundle', '=================================']);
    expect(verification).toContain('choose the unzipped bundle folder');

    const korean = readText(await unzip(await server.request('GET', `/api/v1/disputes/${disputeId}/bundle.zip?lang=ko`, { token: seller })), 'verification/README.txt');
    expect(korean.split('\n')[0]).toBe('이 증거 묶음을 확인하는 방법');
    expect(korean).toContain('보고서');
  });
});
