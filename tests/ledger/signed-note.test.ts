import { describe, expect, it } from 'vitest';
import {
  createNoteSigner,
  formatCheckpoint,
  generateSignerKey,
  openCheckpoint,
  openSignedNote,
  parseVerifierKey,
} from '../../server/services/ledger/signed-note';
import { verifySignedNote } from '../../server/services/ledger/verifier/verify-core';

// The example of golang.org/x/mod/sumdb/note (the reference implementation of c2sp.org/signed-note).
const peterVerifierKey = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const peterSignerKey = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const peterText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const peterNote =
  peterText +
  '\n' +
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

describe('signed notes', () => {
  it('verifies the Go note package example with node:crypto', () => {
    expect(openSignedNote(peterNote, peterVerifierKey)).toBe(peterText);
  });

  it('verifies the same example with the offline verifier core (Web Crypto)', async () => {
    const result = await verifySignedNote(peterNote, peterVerifierKey);
    expect(result.ok).toBe(true);
  });

  it('signs the example text with the example key byte for byte as the reference does', () => {
    const signer = createNoteSigner(peterSignerKey);
    expect(signer.verifierKey).toBe(peterVerifierKey);
    expect(signer.signNote(peterText)).toBe(peterNote);
  });

  it('computes the example key hash c74f20a3 from the name and the key', () => {
    const key = parseVerifierKey(peterVerifierKey);
    expect(key.name).toBe('PeterNeumann');
    expect(key.keyHash.toString(16)).toBe('c74f20a3');
    expect(() => parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/key hash/);
  });

  it('refuses a note whose text or signature changed, or that another key signed', async () => {
    const alteredText = peterNote.replace('problem,', 'problem;');
    expect(() => openSignedNote(alteredText, peterVerifierKey)).toThrow(/does not match/);
    expect((await verifySignedNote(alteredText, peterVerifierKey)).ok).toBe(false);

    const alteredSignature = peterNote.replace('x08go', 'x08gp');
    expect(() => openSignedNote(alteredSignature, peterVerifierKey)).toThrow();

    const other = generateSignerKey('PeterNeumann');
    expect(() => openSignedNote(peterNote, other.verifierKey)).toThrow(/no signature/);
    const result = await verifySignedNote(peterNote, other.verifierKey);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/no signature/) });
  });

  it('signs checkpoints that verify and parse back to their origin, size and root', async () => {
    const { signerKey, verifierKey } = generateSignerKey('packtrail.test/shop');
    const root = Buffer.alloc(32, 7);
    const note = createNoteSigner(signerKey).signNote(formatCheckpoint('packtrail.test/shop', 42, root));
    expect(note.split('\n').slice(0, 4)).toEqual(['packtrail.test/shop', '42', root.toString('base64'), '']);
    expect(note).toMatch(/\n\u2014 packtrail\.test\/shop [A-Za-z0-9+/]+=*\n$/);
    const checkpoint = openCheckpoint(note, verifierKey);
    expect(checkpoint).toMatchObject({ origin: 'packtrail.test/shop', size: 42 });
    expect(Buffer.from(checkpoint.rootHash).equals(root)).toBe(true);
    expect((await verifySignedNote(note, verifierKey)).ok).toBe(true);
  });

  it('rejects key names that would break the key format', () => {
    expect(() => generateSignerKey('my shop')).toThrow();
    expect(() => generateSignerKey('a+b')).toThrow();
  });
});
