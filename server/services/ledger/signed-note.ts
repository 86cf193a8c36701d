// c2sp.org/signed-note and c2sp.org/tlog-checkpoint with Ed25519 keys (node:crypto): key encoding,
// signing and checking. Parsing is shared with the offline verifier (verifier/verify-core.js), so
// what we sign is read by exactly the code a claims agent runs.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import {
  fromBase64,
  isValidKeyName,
  keyHashHex,
  noteKeyHash,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  toBase64,
  type Checkpoint,
} from './verifier/verify-core';

const ed25519KeyType = 0x01;
const signerKeyPrefix = 'PRIVATE+KEY+';
// DER header of a PKCS#8 Ed25519 private key, which node:crypto needs around a raw 32-byte seed.
const pkcs8Ed25519Header = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface NoteSigner {
  name: string;
  keyHash: number;
  /** The public "<name>+<hex key hash>+<base64(0x01 ‖ key)>" string verifiers are given. */
  verifierKey: string;
  /** Signs `text` (which must end in a newline) and returns the whole signed note. */
  signNote(text: string): string;
}

export { parseCheckpoint, parseNote, parseVerifierKey, type Checkpoint };

function typedPublicKey(publicKey: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([ed25519KeyType]), publicKey]);
}

function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url');
}

export function verifierKeyFor(name: string, publicKey: Uint8Array): string {
  const typed = typedPublicKey(publicKey);
  return `${name}+${keyHashHex(noteKeyHash(name, typed))}+${typed.toString('base64')}`;
}

/** A fresh key in the golang.org/x/mod/sumdb/note encoding: "PRIVATE+KEY+<name>+<hash>+<base64(0x01 ‖ seed)>". */
export function generateSignerKey(name: string): { signerKey: string; verifierKey: string } {
  if (!isValidKeyName(name)) throw new Error(`"${name}" cannot name a note key: it must be non-empty, without spaces or "+"`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  const publicRaw = rawPublicKey(publicKey);
  const hash = keyHashHex(noteKeyHash(name, typedPublicKey(publicRaw)));
  return {
    signerKey: `${signerKeyPrefix}${name}+${hash}+${typedPublicKey(seed).toString('base64')}`,
    verifierKey: verifierKeyFor(name, publicRaw),
  };
}

export function createNoteSigner(signerKey: string): NoteSigner {
  if (!signerKey.startsWith(signerKeyPrefix)) throw new Error('not a note signer key');
  const rest = signerKey.slice(signerKeyPrefix.length);
  const first = rest.indexOf('+');
  const second = rest.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new Error('a signer key reads PRIVATE+KEY+name+hash+key');
  const name = rest.slice(0, first);
  const hashText = rest.slice(first + 1, second);
  const encodedSeed = rest.slice(second + 1);
  if (!isValidKeyName(name)) throw new Error('the signer key name is empty or contains spaces');
  const typedSeed = fromBase64(encodedSeed);
  if (typedSeed.length !== 33 || typedSeed[0] !== ed25519KeyType) throw new Error('not an Ed25519 signer key');
  const privateKey = createPrivateKey({
    key: Buffer.concat([pkcs8Ed25519Header, typedSeed.subarray(1)]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicRaw = rawPublicKey(createPublicKey(privateKey));
  const keyHash = noteKeyHash(name, typedPublicKey(publicRaw));
  if (keyHashHex(keyHash) !== hashText) throw new Error('the signer key hash does not match its key');
  const keyHashBytes = Buffer.alloc(4);
  keyHashBytes.writeUInt32BE(keyHash);

  return {
    name,
    keyHash,
    verifierKey: verifierKeyFor(name, publicRaw),
    signNote(text: string): string {
      assertNoteText(text);
      const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
      return `${text}\n\u2014 ${name} ${Buffer.concat([keyHashBytes, signature]).toString('base64')}\n`;
    },
  };
}

function assertNoteText(text: string): void {
  // A note's text is what is signed; a blank line would be read as the start of the signatures.
  if (!text.endsWith('\n') || text.includes('\n\n')) throw new Error('note text ends in one newline and has no blank lines');
}

/**
 * Checks the note's signature by `verifierKey` with node:crypto and returns its text; throws a
 * message saying what is wrong otherwise. Signatures by other keys are ignored, as the spec says.
 */
export function openSignedNote(note: string, verifierKey: string): string {
  const key = parseVerifierKey(verifierKey);
  const { text, signatures } = parseNote(note);
  const match = signatures.find((s) => s.name === key.name && s.keyHash === key.keyHash);
  if (!match) throw new Error(`the note has no signature by ${key.name} (key ${keyHashHex(key.keyHash)})`);
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.publicKey).toString('base64url') },
    format: 'jwk',
  });
  if (match.signature.length !== 64 || !verify(null, Buffer.from(text, 'utf8'), publicKey, match.signature)) {
    throw new Error(`the signature by ${key.name} does not match the note's text`);
  }
  return text;
}

/** The tlog-checkpoint body: "<origin>\n<size>\n<base64 root hash>\n". */
export function formatCheckpoint(origin: string, size: number, rootHash: Uint8Array): string {
  if (origin === '' || /[\n\r]/.test(origin)) throw new Error('a checkpoint origin is one non-empty line');
  if (rootHash.length !== 32) throw new Error('a checkpoint root hash is 32 bytes');
  return `${origin}\n${size}\n${toBase64(rootHash)}\n`;
}

/** Verifies and parses a signed checkpoint. */
export function openCheckpoint(note: string, verifierKey: string): Checkpoint {
  return parseCheckpoint(openSignedNote(note, verifierKey));
}
