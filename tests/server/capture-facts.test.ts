// A capture's facts enter the evidence log as it finishes, and GET /captures/:id/proof proves them
// the way a media proof proves an original.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fromHex, leafHashOf, parseCaptureFacts, parseCheckpoint, toHex, utf8, verifyInclusion, verifySignedNote,
} from '../../server/services/ledger/verifier/verify-core';
import { fixture, setUpShop, startServer, uploadFiles, type TestServer } from '../helpers/server';

const read = (name: string) => new Uint8Array(fs.readFileSync(fixture(name)));

describe('capture facts in the evidence log', () => {
  let server: TestServer;
  let packer: string;
  let deviceId: string;
  let seller: string;
  const ledgerSize = async () => Number((await (await fetch(`${server.url}/api/v1/ledger/checkpoint`)).text()).split('\n')[1]);

  beforeAll(async () => {
    server = await startServer();
    const shop = await setUpShop(server);
    seller = await shop.token('seller');
    const device = await shop.deviceToken('Table 3 phone');
    packer = device.token;
    deviceId = device.id;
    await server.request('PUT', '/api/v1/orders/FACTS-1', {
      token: seller,
      json: { items: [{ sku: 'MUG', name: 'Mug', quantity: 2, unitWeightGrams: 380 }, { sku: 'SP', name: 'Spoon', quantity: 1, unitWeightGrams: 60 }] },
    });
  });
  afterAll(() => server.close());

  it('are one entry when the capture finishes, with every fact exact, and its proof verifies against the signed log', async () => {
    const capture = await (await server.request('POST', '/api/v1/captures', {
      token: packer,
      json: {
        orderId: 'FACTS-1', kind: 'unboxing', station: 'Returns desk', weight: { value: 2.17, unit: 'lb' }, trackingNumber: 'RT-555',
        checklist: [{ item: 'outer_box', result: 'ok' }, { item: 'signs_of_use', result: 'issue', note: 'Scuffed base\nand rim' }],
        outcome: 'used', note: 'Returned without box insert',
      },
    })).json();
    const uploaded = (await (await uploadFiles(server, packer, capture.id, [
      { name: 'a.png', bytes: read('photo.png') },
      { name: 'b.webm', bytes: read('clip.webm') },
    ])).json()).media as { id: string; sha256: string }[];

    expect((await server.request('GET', `/api/v1/captures/${capture.id}/proof`, { token: packer })).status).toBe(404);
    const before = await (await server.request('GET', '/api/v1/ledger/checkpoint')).text().catch(() => '');
    const sizeBefore = Number(before.split('\n')[1] ?? 0);

    const finished = await (await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer })).json();
    // A retry after a lost reply finishes nothing twice and logs nothing twice.
    expect((await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer })).status).toBe(200);

    const response = await server.request('GET', `/api/v1/captures/${capture.id}/proof`, { token: seller });
    expect(response.status).toBe(200);
    const proof = await response.json();
    expect(Object.keys(proof).sort()).toEqual(['captureId', 'checkpoint', 'entry', 'leafHash', 'leafIndex', 'proof', 'rootHash', 'treeSize']);
    expect(proof.captureId).toBe(capture.id);
    // Two media entries came before it; exactly one entry was added by finishing.
    expect(proof.leafIndex).toBe(sizeBefore);
    expect(await ledgerSize()).toBe(sizeBefore + 1);

    expect(proof.entry).toBe(
      [
        'packtrail-capture-facts/v1',
        `capture ${capture.id}`,
        'order FACTS-1',
        'kind unboxing',
        `recorded-by device ${deviceId}`,
        'recorded-by-name "Table 3 phone"',
        'station "Returns desk"',
        `started ${capture.startedAt}`,
        `finished ${finished.finishedAt}`,
        'weight-grams 984.3',
        'weight-entered 2.17 lb',
        'expected-grams 820',
        // The shop's tolerance when it finished, beside the expected weight: the verdict's whole basis is logged.
        'tolerance-percent 5',
        'tracking "RT-555"',
        'check ok "outer_box"',
        'check issue "signs_of_use"',
        'check-note "Scuffed base\\nand rim"',
        'outcome used',
        'note "Returned without box insert"',
        ...uploaded.map((media) => `media ${media.id} ${media.sha256}`),
        '',
      ].join('\n'),
    );
    expect(finished.weightGrams).toBe(984.3);
    expect(parseCaptureFacts(proof.entry).checklist[1].note).toBe('Scuffed base\nand rim');

    const key = (await (await fetch(`${server.url}/api/v1/ledger/key`)).text()).trim();
    expect(toHex(leafHashOf(utf8(proof.entry)))).toBe(proof.leafHash);
    expect(verifyInclusion(fromHex(proof.leafHash), proof.leafIndex, proof.treeSize, proof.proof.map(fromHex), fromHex(proof.rootHash))).toBe(true);
    const signed = await verifySignedNote(proof.checkpoint, key);
    if (!signed.ok) throw new Error(signed.reason);
    expect(toHex(parseCheckpoint(signed.text).rootHash)).toBe(proof.rootHash);

    // Against an older tree that already held it, as a media proof can.
    const later = await (await server.request('GET', `/api/v1/captures/${capture.id}/proof?treeSize=${proof.leafIndex + 1}`, { token: seller })).json();
    expect(later).toMatchObject({ leafIndex: proof.leafIndex, treeSize: proof.leafIndex + 1 });
    expect(verifyInclusion(fromHex(later.leafHash), later.leafIndex, later.treeSize, later.proof.map(fromHex), fromHex(later.rootHash))).toBe(true);
  });

  it('cannot gain media once finished, so the logged list of media stays the whole list', async () => {
    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'FACTS-1', kind: 'packing' } })).json();
    await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer });
    const late = await uploadFiles(server, packer, capture.id, [{ name: 'late.png', bytes: read('photo.png') }]);
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'CAPTURE_FINISHED' });
    const proof = await (await server.request('GET', `/api/v1/captures/${capture.id}/proof`, { token: packer })).json();
    expect(parseCaptureFacts(proof.entry).media).toEqual([]);
  });

  it('answers 404 NOT_FOUND for an open capture, an unknown one, and one finished before facts were logged', async () => {
    const open = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'FACTS-1', kind: 'packing' } })).json();
    const notFinished = await server.request('GET', `/api/v1/captures/${open.id}/proof`, { token: packer });
    expect(notFinished.status).toBe(404);
    expect(await notFinished.json()).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: expect.stringMatching(/not finished/) });

    const unknown = await server.request('GET', '/api/v1/captures/00000000-0000-4000-8000-000000000000/proof', { token: packer });
    expect(unknown.status).toBe(404);

    // A capture finished by an earlier version: finished in the database, nothing in the log.
    const db = new Database(path.join(server.dataDir, 'packtrail.sqlite'));
    try {
      db.prepare('UPDATE captures SET finished_at = ? WHERE id = ?').run(new Date().toISOString(), open.id);
    } finally {
      db.close();
    }
    const old = await server.request('GET', `/api/v1/captures/${open.id}/proof`, { token: packer });
    expect(old.status).toBe(404);
    expect(await old.json()).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/finished before capture facts were logged/) });
  });

  it('answers 400 for a tree size that cannot hold the entry', async () => {
    const capture = await (await server.request('POST', '/api/v1/captures', { token: packer, json: { orderId: 'FACTS-1', kind: 'handover' } })).json();
    await server.request('POST', `/api/v1/captures/${capture.id}/finish`, { token: packer });
    const { leafIndex } = await (await server.request('GET', `/api/v1/captures/${capture.id}/proof`, { token: packer })).json();
    const tooSmall = await server.request('GET', `/api/v1/captures/${capture.id}/proof?treeSize=${leafIndex}`, { token: packer });
    expect(tooSmall.status).toBe(400);
    expect(await tooSmall.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
