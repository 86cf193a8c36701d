import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fromHex, leafHashOf, parseCheckpoint, parseEntry, toHex, utf8, verifyConsistency, verifyInclusion, verifySignedNote,
} from '../../server/services/ledger/verifier/verify-core';
import { fixture, setUpShop, startServer, uploadFiles, type TestServer } from '../helpers/server';

describe('the evidence ledger over HTTP', () => {
  let server: TestServer;
  let token: string;
  let ownerToken: string;
  const uploaded: { id: string; sha256: string }[] = [];

  beforeAll(async () => {
    server = await startServer();
    const shop = await setUpShop(server);
    ownerToken = shop.ownerToken;
    token = (await shop.deviceToken()).token;
    const capture = await (await server.request('POST', '/api/v1/captures', { token, json: { orderId: 'LEDGER-1', kind: 'packing' } })).json();
    for (const name of ['photo.png', 'clip.webm', 'document.pdf']) {
      const response = await uploadFiles(server, token, capture.id, [{ name, bytes: new Uint8Array(fs.readFileSync(fixture(name))) }]);
      uploaded.push((await response.json()).media[0]);
    }
  });
  afterAll(() => server.close());

  it('proves every upload is in the signed log, checkable with nothing but the public key', async () => {
    const key = (await (await fetch(`${server.url}/api/v1/ledger/key`)).text()).trim();
    for (const media of uploaded) {
      const response = await server.request('GET', `/api/v1/media/${media.id}/proof`, { token });
      expect(response.status).toBe(200);
      const proof = await response.json();
      const entry = parseEntry(proof.entry);
      expect(entry.sha256).toBe(media.sha256);
      expect(entry.order).toBe('LEDGER-1');
      expect(toHex(leafHashOf(utf8(proof.entry)))).toBe(proof.leafHash);
      expect(verifyInclusion(fromHex(proof.leafHash), proof.leafIndex, proof.treeSize, proof.proof.map(fromHex), fromHex(proof.rootHash))).toBe(true);
      const signed = await verifySignedNote(proof.checkpoint, key);
      if (!signed.ok) throw new Error(signed.reason);
      const checkpoint = parseCheckpoint(signed.text);
      expect(checkpoint.size).toBe(proof.treeSize);
      expect(toHex(checkpoint.rootHash)).toBe(proof.rootHash);
    }
  });

  it('serves the latest checkpoint as a signed note, and consistency proofs between sizes', async () => {
    const note = await (await fetch(`${server.url}/api/v1/ledger/checkpoint`)).text();
    expect(note.split('\n')[1]).toBe('3');
    const consistency = await (await fetch(`${server.url}/api/v1/ledger/consistency?from=1&to=3`)).json();
    expect(verifyConsistency(1, 3, fromHex(consistency.oldRootHash), fromHex(consistency.newRootHash), consistency.proof.map(fromHex))).toBe(true);
    const bad = await fetch(`${server.url}/api/v1/ledger/consistency?from=5&to=3`);
    expect(bad.status).toBe(400);
  });

  it('records the chain of custody: upload, view and download, each hash-linked to the one before', async () => {
    const media = uploaded[0];
    await server.request('GET', `/api/v1/media/${media.id}`, { token: ownerToken });
    await server.request('GET', `/api/v1/media/${media.id}/original`, { token: ownerToken });
    const custody = await (await server.request('GET', `/api/v1/media/${media.id}/custody`, { token: ownerToken })).json();
    expect(custody.items.map((event: { action: string }) => event.action)).toEqual(['upload', 'view', 'download']);
    expect(custody.items[0].actorType).toBe('device');
    const hashes = custody.items.map((event: { hash: string }) => event.hash);
    expect(new Set(hashes).size).toBe(3);
    expect((await server.request('GET', `/api/v1/media/${media.id}/custody`, { token })).status).toBe(403);
  });
});
