// Packtrail verification core: SHA-256, RFC 9162 Merkle proof checks, c2sp.org signed notes and
// tlog checkpoints, and the checks of one evidence bundle. Plain JavaScript with no imports and no
// Node or browser specifics, because this one text is what runs everywhere a bundle is checked: the
// server imports it, and verification-kit.ts pastes it into verify.mjs and verify.html, so a claims
// agent's offline check and ours can never drift apart. Keep it that way: no imports, no Buffer, no
// DOM, nothing but `export function` / `export const` / `export class` at the top level (the kit
// builder strips the `export ` keywords to inline it).

export const ENTRY_FORMAT = 'packtrail-ledger-entry/v1';
export const PROOFS_FORMAT = 'packtrail-verification/v2';
/** Bundles made before export statements and capture facts: their originals still verify. */
export const PROOFS_FORMAT_V1 = 'packtrail-verification/v1';

// ---------------------------------------------------------------------------------------------
// SHA-256 (FIPS 180-4). Incremental, so a browser can hash a multi-gigabyte video in slices that
// Web Crypto's one-shot digest could not hold in memory.

const ROUND_CONSTANTS = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL_STATE = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

export class Sha256 {
  constructor() {
    this.state = new Uint32Array(INITIAL_STATE);
    this.pending = new Uint8Array(64);
    this.pendingLength = 0;
    this.totalBytes = 0;
    this.schedule = new Uint32Array(64);
  }

  /** @param {Uint8Array} data */
  update(data) {
    let offset = 0;
    this.totalBytes += data.length;
    if (this.pendingLength > 0) {
      const take = Math.min(64 - this.pendingLength, data.length);
      this.pending.set(data.subarray(0, take), this.pendingLength);
      this.pendingLength += take;
      offset = take;
      if (this.pendingLength < 64) return this;
      this.compress(this.pending, 0);
      this.pendingLength = 0;
    }
    while (offset + 64 <= data.length) {
      this.compress(data, offset);
      offset += 64;
    }
    if (offset < data.length) {
      this.pending.set(data.subarray(offset), 0);
      this.pendingLength = data.length - offset;
    }
    return this;
  }

  /** @returns {Uint8Array} the 32-byte digest; the hasher is spent afterwards. */
  digest() {
    const totalBytes = this.totalBytes;
    const padLength = (this.pendingLength < 56 ? 56 : 120) - this.pendingLength;
    const padding = new Uint8Array(padLength + 8);
    padding[0] = 0x80;
    // The message length in bits, big-endian over 64 bits, without overflowing 2^53 arithmetic.
    const lengthHigh = Math.floor(totalBytes / 0x20000000);
    const lengthLow = (totalBytes % 0x20000000) * 8;
    const view = new DataView(padding.buffer);
    view.setUint32(padLength, lengthHigh);
    view.setUint32(padLength + 4, lengthLow);
    this.update(padding);
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setUint32(i * 4, this.state[i]);
    return out;
  }

  compress(bytes, offset) {
    const w = this.schedule;
    for (let i = 0; i < 16; i++) {
      const at = offset + i * 4;
      w[i] = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
    }
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15];
      const b = w[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    const h = this.state;
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const choice = (e & f) ^ (~e & g);
      const t1 = (k + S1 + choice + ROUND_CONSTANTS[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const majority = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + majority) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
  }
}

/** @param {...Uint8Array} parts @returns {Uint8Array} */
export function sha256(...parts) {
  const hasher = new Sha256();
  for (const part of parts) hasher.update(part);
  return hasher.digest();
}

// ---------------------------------------------------------------------------------------------
// Encodings. Strict on purpose: a signature or hash that decodes two ways is a forgery surface.

const utf8Encoder = new TextEncoder();
export function utf8(text) {
  return utf8Encoder.encode(text);
}

export function toHex(bytes) {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(text) {
  if (typeof text !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(text)) throw new Error('not lower-case hex');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function toBase64(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64_ALPHABET[(chunk >> 18) & 63] + BASE64_ALPHABET[(chunk >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64_ALPHABET[(chunk >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64_ALPHABET[chunk & 63] : '=';
  }
  return out;
}

/** Standard, padded base64 only; anything else throws. */
export function fromBase64(text) {
  if (typeof text !== 'string' || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new Error('not padded standard base64');
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    const values = [0, 1, 2, 3].map((j) => (text[i + j] === '=' ? 0 : BASE64_ALPHABET.indexOf(text[i + j])));
    const chunk = (values[0] << 18) | (values[1] << 12) | (values[2] << 6) | values[3];
    if (at < out.length) out[at++] = (chunk >> 16) & 255;
    if (at < out.length) out[at++] = (chunk >> 8) & 255;
    if (at < out.length) out[at++] = chunk & 255;
  }
  if (toBase64(out) !== text) throw new Error('not canonical base64');
  return out;
}

export function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

// ---------------------------------------------------------------------------------------------
// RFC 9162 Merkle hashing and proof verification (section 2.1). Sizes and indexes are plain
// numbers; halving uses Math.floor, not >>, so trees past 2^31 leaves stay correct.

const LEAF_PREFIX = new Uint8Array([0]);
const NODE_PREFIX = new Uint8Array([1]);

/** @param {Uint8Array} entry */
export function leafHashOf(entry) {
  return sha256(LEAF_PREFIX, entry);
}

export function nodeHashOf(left, right) {
  return sha256(NODE_PREFIX, left, right);
}

const isOdd = (n) => n % 2 === 1;
const half = (n) => Math.floor(n / 2);
const isPowerOfTwo = (n) => n >= 1 && Number.isInteger(Math.log2(n)) && 2 ** Math.log2(n) === n;

/**
 * The root an inclusion proof leads to (RFC 9162 2.1.3.2), or null when the proof cannot belong
 * to a tree of that size (wrong length, index out of range).
 */
export function rootFromInclusionProof(leafHash, leafIndex, treeSize, proof) {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) {
    return null;
  }
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return null;
    if (isOdd(fn) || fn === sn) {
      r = nodeHashOf(p, r);
      if (!isOdd(fn)) {
        do {
          fn = half(fn);
          sn = half(sn);
        } while (!isOdd(fn) && fn !== 0);
      }
    } else {
      r = nodeHashOf(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(leafHash, leafIndex, treeSize, proof, rootHash) {
  const root = rootFromInclusionProof(leafHash, leafIndex, treeSize, proof);
  return root !== null && bytesEqual(root, rootHash);
}

/** RFC 9162 2.1.4.2, plus the trivial cases it leaves to the caller (equal sizes, old size 0). */
export function verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof) {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  // Any tree is consistent with the empty one; its root is fixed, so check that too.
  if (oldSize === 0) return proof.length === 0 && bytesEqual(oldRoot, sha256());
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHashOf(c, fr);
      sr = nodeHashOf(c, sr);
      if (!isOdd(fn)) {
        do {
          fn = half(fn);
          sn = half(sn);
        } while (!isOdd(fn) && fn !== 0);
      }
    } else {
      sr = nodeHashOf(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}

// ---------------------------------------------------------------------------------------------
// c2sp.org/signed-note and c2sp.org/tlog-checkpoint.

const SIGNATURE_PREFIX = '\u2014 ';
const ED25519_KEY_TYPE = 0x01;

/** Key names may not be empty or contain whitespace or "+" (the verifier key's separator). */
export function isValidKeyName(name) {
  return typeof name === 'string' && name.length > 0 && !/[\s+]/u.test(name);
}

/** First 4 bytes, big-endian, of SHA-256(name ‖ "\n" ‖ key type ‖ public key). */
export function noteKeyHash(name, typeAndPublicKey) {
  const digest = sha256(utf8(name), utf8('\n'), typeAndPublicKey);
  return ((digest[0] << 24) | (digest[1] << 16) | (digest[2] << 8) | digest[3]) >>> 0;
}

export function keyHashHex(keyHash) {
  return keyHash.toString(16).padStart(8, '0');
}

/** "<name>+<hex key hash>+<base64(0x01 ‖ Ed25519 public key)>" → its parts, after checking the hash. */
export function parseVerifierKey(text) {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new Error('a verifier key reads name+keyhash+key');
  const name = text.slice(0, first);
  const hashText = text.slice(first + 1, second);
  if (!isValidKeyName(name)) throw new Error('the key name is empty or contains spaces');
  if (!/^[0-9a-f]{8}$/.test(hashText)) throw new Error('the key hash is not 8 lower-case hex digits');
  const typeAndKey = fromBase64(text.slice(second + 1));
  if (typeAndKey.length !== 33 || typeAndKey[0] !== ED25519_KEY_TYPE) throw new Error('not an Ed25519 verifier key');
  const keyHash = noteKeyHash(name, typeAndKey);
  if (keyHashHex(keyHash) !== hashText) throw new Error('the key hash does not match the key');
  return { name, keyHash, publicKey: typeAndKey.subarray(1), text };
}

/** Splits a signed note into its text and its signature lines; does not check any signature. */
export function parseNote(note) {
  if (typeof note !== 'string' || !note.endsWith('\n')) throw new Error('a signed note ends with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('a signed note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  const signatureLines = note.slice(split + 2, -1).split('\n');
  const signatures = signatureLines.map((line) => {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw new Error('a signature line starts with "\u2014 "');
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = rest.slice(0, space);
    if (space < 0 || !isValidKeyName(name)) throw new Error('a signature line names its key');
    const blob = fromBase64(rest.slice(space + 1));
    if (blob.length < 5) throw new Error('a signature is too short');
    const keyHash = ((blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3]) >>> 0;
    return { name, keyHash, signature: blob.subarray(4) };
  });
  return { text, signatures };
}

/** The body of a checkpoint: origin, tree size, base64 root hash, then optional extension lines. */
export function parseCheckpoint(text) {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') throw new Error('a checkpoint has origin, size and root hash lines');
  const [origin, sizeText, rootText] = lines;
  if (origin === '') throw new Error('the checkpoint origin is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    throw new Error('the checkpoint tree size is not a decimal number');
  }
  const rootHash = fromBase64(rootText);
  if (rootHash.length !== 32) throw new Error('the checkpoint root hash is not 32 bytes');
  const extensions = lines.slice(3, -1);
  if (extensions.some((line) => line === '')) throw new Error('a checkpoint has no blank lines');
  return { origin, size: Number(sizeText), rootHash, extensions };
}

/** Ed25519 through Web Crypto, which both Node (18+) and current browsers provide. */
export async function webCryptoEd25519Verify(publicKey, signature, message) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle) throw new Error('Web Crypto is not available here, so the signature cannot be checked');
  let key;
  try {
    key = await subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    throw new Error('this browser cannot check Ed25519 signatures; use a current Chrome, Edge, Firefox or Safari, or run verify.mjs with Node');
  }
  return subtle.verify({ name: 'Ed25519' }, key, signature, message);
}

/**
 * Checks that `note` carries a valid signature by `verifierKey`. Returns the note's text and which
 * signature matched, or a reason it does not verify.
 */
export async function verifySignedNote(note, verifierKey, ed25519Verify = webCryptoEd25519Verify) {
  let parsed;
  let key;
  try {
    key = parseVerifierKey(verifierKey);
  } catch (error) {
    return { ok: false, reason: `the verifier key is malformed: ${error.message}` };
  }
  try {
    parsed = parseNote(note);
  } catch (error) {
    return { ok: false, reason: `the signed note is malformed: ${error.message}` };
  }
  const signature = parsed.signatures.find((s) => s.name === key.name && s.keyHash === key.keyHash);
  if (!signature) return { ok: false, reason: `it carries no signature by ${key.name} (key ${keyHashHex(key.keyHash)})` };
  const valid =
    signature.signature.length === 64 && (await ed25519Verify(key.publicKey, signature.signature, utf8(parsed.text)));
  if (!valid) return { ok: false, reason: `the Ed25519 signature by ${key.name} does not match the note's text` };
  return { ok: true, text: parsed.text, key };
}

// ---------------------------------------------------------------------------------------------
// Ledger entries: the small text record hashed into each leaf.

export const ENTRY_FIELDS = ['media', 'sha256', 'bytes', 'mime', 'received', 'capture', 'order', 'kind'];

/** "packtrail-ledger-entry/v1\nmedia …\n…" → { media, sha256, bytes, … }; throws if not that shape. */
export function parseEntry(entry) {
  const lines = entry.split('\n');
  if (lines[0] !== ENTRY_FORMAT || lines[lines.length - 1] !== '') throw new Error(`not a ${ENTRY_FORMAT} entry`);
  const fields = {};
  for (const line of lines.slice(1, -1)) {
    const space = line.indexOf(' ');
    if (space < 1) throw new Error(`malformed entry line "${line}"`);
    fields[line.slice(0, space)] = line.slice(space + 1);
  }
  for (const name of ENTRY_FIELDS) if (!(name in fields)) throw new Error(`the entry has no ${name} line`);
  if (!/^[0-9a-f]{64}$/.test(fields.sha256)) throw new Error('the entry sha256 is not 64 hex digits');
  if (!/^(0|[1-9][0-9]*)$/.test(fields.bytes)) throw new Error('the entry bytes is not a number');
  return { ...fields, bytes: Number(fields.bytes) };
}

// ---------------------------------------------------------------------------------------------
// Capture facts: the ledger entry a capture gets when it finishes (its order, kind, station, who,
// server times, weight, expected weight, checklist and outcome, and each media's SHA-256). One
// "name value" line per fact, in a fixed order, so one set of facts has exactly one text. Text a
// person typed (a station, a note, a name) is a JSON string, so a newline in it cannot forge a line.

export const CAPTURE_FACTS_FORMAT = 'packtrail-capture-facts/v1';

/** The lines of a capture-facts entry in the order they must appear; see parseCaptureFacts. */
export const CAPTURE_FACT_LINES = [
  'capture', 'order', 'kind', 'recorded-by', 'recorded-by-name', 'station', 'started', 'finished',
  'weight-grams', 'weight-entered', 'expected-grams', 'tolerance-percent', 'tracking', 'check', 'check-note', 'check-media',
  'outcome', 'note', 'media', 'media-tags',
];
const REPEATED_FACT_LINES = ['check', 'check-media', 'media'];
const REQUIRED_FACT_LINES = ['capture', 'order', 'kind', 'started', 'finished'];
const CHECK_GROUP = ['check', 'check-note', 'check-media'];
// A media line may be followed by one media-tags line (its courier photo tags at finish), then the next media.
const MEDIA_GROUP = ['media', 'media-tags'];
/** A courier photo tag: a lower-case code such as label_closeup. */
const TAG = /^[a-z][a-z0-9_]*$/;

export const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const WORD = /^[^\s\p{Cc}]+$/u;
const ONE_LINE = /^[^\p{Cc}]+$/u;

/** A JSON string literal in its one canonical spelling (what JSON.stringify writes). */
export function parseQuoted(value, name) {
  let parsed;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(`the ${name} line does not hold a quoted text`);
  }
  if (typeof parsed !== 'string' || parsed === '' || JSON.stringify(parsed) !== value) throw new Error(`the ${name} line does not hold a quoted text`);
  return parsed;
}

function factWord(value, name) {
  if (!WORD.test(value)) throw new Error(`the ${name} line is not one word`);
  return value;
}

function factNumber(value, name) {
  if (!DECIMAL.test(value) || !Number.isFinite(Number(value))) throw new Error(`the ${name} line is not a decimal number`);
  return Number(value);
}

function factTime(value, name) {
  if (!UTC_TIME.test(value) || Number.isNaN(Date.parse(value))) throw new Error(`the ${name} line is not an ISO 8601 UTC time`);
  return value;
}

/**
 * "packtrail-capture-facts/v1\ncapture …\n…" → the facts as an object; throws if the text is not
 * exactly that shape (an unknown, repeated or misplaced line, a missing required one).
 */
export function parseCaptureFacts(entry) {
  if (typeof entry !== 'string') throw new Error(`not a ${CAPTURE_FACTS_FORMAT} entry`);
  const lines = entry.split('\n');
  if (lines[0] !== CAPTURE_FACTS_FORMAT || lines[lines.length - 1] !== '') throw new Error(`not a ${CAPTURE_FACTS_FORMAT} entry`);
  const facts = {
    capture: null, order: null, kind: null, recordedBy: null, station: null, started: null, finished: null,
    weight: null, expectedGrams: null, tolerancePercent: null, tracking: null, checklist: [], outcome: null, note: null, media: [],
  };
  const seen = new Set();
  let last = -1;
  for (const line of lines.slice(1, -1)) {
    const space = line.indexOf(' ');
    if (space < 1) throw new Error(`malformed capture-facts line "${line}"`);
    const name = line.slice(0, space);
    const value = line.slice(space + 1);
    const at = CAPTURE_FACT_LINES.indexOf(name);
    if (at < 0) throw new Error(`unknown capture-facts line "${name}"`);
    const nextCheck = name === 'check' && CHECK_GROUP.includes(CAPTURE_FACT_LINES[last]);
    const nextMedia = name === 'media' && MEDIA_GROUP.includes(CAPTURE_FACT_LINES[last]);
    if (!(at > last || (at === last && REPEATED_FACT_LINES.includes(name)) || nextCheck || nextMedia)) {
      throw new Error(`the ${name} line is repeated or out of order`);
    }
    const previous = CAPTURE_FACT_LINES[last];
    last = at;
    seen.add(name);
    const check = facts.checklist[facts.checklist.length - 1];
    if ((name === 'check-note' || name === 'check-media') && !check) throw new Error(`a ${name} line follows no check line`);
    switch (name) {
      case 'capture': facts.capture = factWord(value, name); break;
      case 'order':
        if (!ONE_LINE.test(value)) throw new Error('the order line is empty');
        facts.order = value;
        break;
      case 'kind': facts.kind = factWord(value, name); break;
      case 'recorded-by': {
        const [kind, id, ...rest] = value.split(' ');
        if (!['device', 'user'].includes(kind) || !id || rest.length > 0) throw new Error('the recorded-by line reads "device <id>" or "user <id>"');
        facts.recordedBy = { kind, id, name: null };
        break;
      }
      case 'recorded-by-name':
        if (!facts.recordedBy) throw new Error('a recorded-by-name line follows no recorded-by line');
        facts.recordedBy.name = parseQuoted(value, name);
        break;
      case 'station': facts.station = parseQuoted(value, name); break;
      case 'started': facts.started = factTime(value, name); break;
      case 'finished': facts.finished = factTime(value, name); break;
      case 'weight-grams': facts.weight = { grams: factNumber(value, name), value: null, unit: null }; break;
      case 'weight-entered': {
        const [amount, unit, ...rest] = value.split(' ');
        if (!facts.weight || !unit || rest.length > 0) throw new Error('the weight-entered line reads "<value> <unit>" after a weight-grams line');
        facts.weight.value = factNumber(amount, name);
        facts.weight.unit = factWord(unit, name);
        break;
      }
      case 'expected-grams': facts.expectedGrams = factNumber(value, name); break;
      case 'tolerance-percent':
        // Written with a weight only: the tolerance judges the weight, and nothing else.
        if (!facts.weight) throw new Error('a tolerance-percent line follows no weight-grams line');
        facts.tolerancePercent = factNumber(value, name);
        if (facts.tolerancePercent <= 0) throw new Error('the tolerance-percent line is not above 0');
        break;
      case 'tracking': facts.tracking = parseQuoted(value, name); break;
      case 'check': {
        const split = value.indexOf(' ');
        if (split < 1) throw new Error('the check line reads "<result> <quoted item>"');
        facts.checklist.push({ item: parseQuoted(value.slice(split + 1), name), result: factWord(value.slice(0, split), name), note: null, mediaIds: [] });
        break;
      }
      case 'check-note': check.note = parseQuoted(value, name); break;
      case 'check-media': check.mediaIds.push(factWord(value, name)); break;
      case 'outcome': facts.outcome = factWord(value, name); break;
      case 'note': facts.note = parseQuoted(value, name); break;
      case 'media': {
        const [id, hash, ...rest] = value.split(' ');
        if (!id || !/^[0-9a-f]{64}$/.test(hash ?? '') || rest.length > 0) throw new Error('the media line reads "<media id> <64 hex digits of SHA-256>"');
        facts.media.push({ id, sha256: hash, tags: [] });
        break;
      }
      case 'media-tags': {
        if (previous !== 'media') throw new Error('a media-tags line follows no media line');
        const tags = value.split(',');
        if (!tags.every((tag) => TAG.test(tag)) || new Set(tags).size !== tags.length) {
          throw new Error('the media-tags line reads "<tag>,<tag>…": lower-case codes, each once');
        }
        facts.media[facts.media.length - 1].tags = tags;
        break;
      }
    }
  }
  for (const name of REQUIRED_FACT_LINES) if (!seen.has(name)) throw new Error(`the capture facts have no ${name} line`);
  if (facts.weight && facts.weight.unit === null) throw new Error('the capture facts have weight-grams without weight-entered');
  return facts;
}

/** The facts of an entry line by line, for naming which one differs between two texts of the same capture. */
export function factLinesOf(entry) {
  const lines = typeof entry === 'string' ? entry.split('\n').slice(1, -1) : [];
  return lines.map((line) => {
    const space = line.indexOf(' ');
    return space < 1 ? { name: line, value: '' } : { name: line.slice(0, space), value: line.slice(space + 1) };
  });
}

/** What a person calls each line of the facts, in the words of the verifiers' reports. */
export const FACT_NAMES = {
  capture: 'capture ID', order: 'order ID', kind: 'capture kind', 'recorded-by': 'recorded by',
  'recorded-by-name': 'recorded by (name)', station: 'station', started: 'start time', finished: 'finish time',
  'weight-grams': 'weight', 'weight-entered': 'weight as entered', 'expected-grams': 'expected weight',
  'tolerance-percent': 'weight tolerance', 'media-tags': 'photo tags',
  tracking: 'tracking number', check: 'checklist', 'check-note': 'checklist note', 'check-media': 'checklist photo',
  outcome: 'outcome', note: 'note', media: 'media',
};

/**
 * The facts that differ between the text the log recorded and the one in hand, by line name:
 * [{ field, logged, now }], each side's values of that line joined, null where it has none.
 */
export function diffCaptureFacts(loggedEntry, entry) {
  const logged = factLinesOf(loggedEntry);
  const now = factLinesOf(entry);
  const valuesOf = (lines, name) => lines.filter((line) => line.name === name).map((line) => line.value);
  const changes = [];
  for (const name of new Set([...logged, ...now].map((line) => line.name))) {
    const a = valuesOf(logged, name);
    const b = valuesOf(now, name);
    if (a.length === b.length && a.every((value, i) => value === b[i])) continue;
    changes.push({ field: name, logged: a.length > 0 ? a.join(' | ') : null, now: b.length > 0 ? b.join(' | ') : null });
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------
// The export statement: a note the shop's server signs with the log's key as it finishes a bundle,
// listing every file it made (SHA-256, size, what it is) and a copy of each capture's facts. It is
// what covers the files the log cannot: manifest.json, the report or claim letter, the README and
// the verification files. Its first line is not a tree size, so it can never pass for a checkpoint.

export const EXPORT_STATEMENT_FORMAT = 'packtrail-export/v1';
export const EXPORT_STATEMENT_PATH = 'verification/export-statement.txt';
export const CAPTURE_FACTS_PATH = 'verification/capture-facts.json';
export const CAPTURE_FACTS_PROOFS_FORMAT = 'packtrail-capture-facts-proofs/v1';
/** The manifest's own line in the statement (the manifest cannot list its own hash). */
export const MANIFEST_PATH = 'manifest.json';

/**
 * The part of a verifier key ("name+keyhash+base64") that is the key itself: the base64 of its type
 * byte and Ed25519 public key. Two installs never share it (unlike the log's name, which a copy of
 * the shop's name reproduces, or the 8-digit key hash), and it appears verbatim in what the shop
 * publishes at /api/v1/ledger/key, so a reader can compare it by eye.
 */
export function keyFingerprint(keyLine) {
  const text = typeof keyLine === 'string' ? keyLine.trim() : '';
  const second = text.indexOf('+', text.indexOf('+') + 1);
  return second > 0 ? text.slice(second + 1) : text;
}

/** Where a shop publishes its key is an absolute http(s) address on one line, or not stated. */
export function isKeyAddress(value) {
  return typeof value === 'string' && /^https?:\/\/[^\s\p{Cc}]+$/u.test(value);
}

/**
 * @param {{ origin: string, checkpointSize: number, rootHash: string, exportedAt: string, disputeId: string,
 *   orderId: string, key?: string, keyUrl?: string | null, files: { kind: string, sha256: string, bytes: number, path: string }[],
 *   facts: { captureId: string, leafIndex: number, entry: string }[] }} statement
 * `key` is the verifier key that signs the statement and `keyUrl` the absolute address where the
 * shop publishes it (null when the export knew of none a stranger could reach).
 * @returns {string} the note text to sign: one line per fact, ending in a newline.
 */
export function formatExportStatement(statement) {
  const word = (value, name) => {
    if (typeof value !== 'string' || !WORD.test(value)) throw new Error(`the export statement's ${name} must be one word`);
    return value;
  };
  if (!ONE_LINE.test(statement.origin ?? '') || !ONE_LINE.test(statement.orderId ?? '')) throw new Error('the export statement origin and order are one line each');
  if (!Number.isSafeInteger(statement.checkpointSize) || !/^[0-9a-f]{64}$/.test(statement.rootHash)) throw new Error('the export statement needs a checkpoint');
  if (!UTC_TIME.test(statement.exportedAt)) throw new Error('the export statement time is an ISO 8601 UTC time');
  const lines = [
    EXPORT_STATEMENT_FORMAT,
    `log ${statement.origin}`,
    `checkpoint ${statement.checkpointSize} ${statement.rootHash}`,
    `exported ${statement.exportedAt}`,
    `dispute ${word(statement.disputeId, 'dispute')}`,
    `order ${statement.orderId}`,
  ];
  if (statement.key !== undefined) {
    parseVerifierKey(statement.key);
    lines.push(`key ${statement.key}`);
  }
  if (statement.keyUrl !== undefined && statement.keyUrl !== null) {
    if (!isKeyAddress(statement.keyUrl)) throw new Error('the address where the key is published is an absolute http(s) address');
    lines.push(`key-published ${statement.keyUrl}`);
  }
  const paths = new Set();
  for (const file of statement.files) {
    if (!isSafeBundlePath(file.path) || /[\p{Cc}]/u.test(file.path) || paths.has(file.path)) throw new Error(`"${file.path}" cannot be listed in an export statement`);
    if (!/^[0-9a-f]{64}$/.test(file.sha256) || !Number.isSafeInteger(file.bytes) || file.bytes < 0) throw new Error(`the hash or size of ${file.path} is malformed`);
    paths.add(file.path);
    lines.push(`file ${word(file.kind, 'file kind')} ${file.sha256} ${file.bytes} ${file.path}`);
  }
  for (const fact of statement.facts) {
    if (!Number.isSafeInteger(fact.leafIndex) || fact.leafIndex < 0) throw new Error('a capture-facts leaf index is a whole number');
    lines.push(`facts ${word(fact.captureId, 'capture ID')} ${fact.leafIndex} ${toBase64(utf8(fact.entry))}`);
  }
  return `${lines.join('\n')}\n`;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** The signed text of an export statement → its parts; throws if it is not exactly that shape. */
export function parseExportStatement(text) {
  const lines = text.split('\n');
  if (lines[0] !== EXPORT_STATEMENT_FORMAT || lines[lines.length - 1] !== '') throw new Error(`not a ${EXPORT_STATEMENT_FORMAT} statement`);
  const header = ['log', 'checkpoint', 'exported', 'dispute', 'order'];
  const values = {};
  header.forEach((name, i) => {
    const line = lines[i + 1] ?? '';
    if (!line.startsWith(`${name} `)) throw new Error(`line ${i + 2} of the export statement should be its ${name} line`);
    values[name] = line.slice(name.length + 1);
  });
  const checkpoint = /^(0|[1-9][0-9]*) ([0-9a-f]{64})$/.exec(values.checkpoint);
  if (!checkpoint) throw new Error('the export statement checkpoint line reads "<size> <hex root hash>"');
  if (!UTC_TIME.test(values.exported)) throw new Error('the export statement time is not an ISO 8601 UTC time');
  const statement = {
    origin: values.log,
    checkpointSize: Number(checkpoint[1]),
    rootHash: checkpoint[2],
    exportedAt: values.exported,
    disputeId: values.dispute,
    orderId: values.order,
    /** The verifier key the statement names as its signer, and where the shop publishes it; null in older statements. */
    key: null,
    keyUrl: null,
    files: [],
    facts: [],
  };
  let next = header.length + 1;
  if ((lines[next] ?? '').startsWith('key ')) {
    statement.key = lines[next].slice('key '.length);
    next += 1;
  }
  if ((lines[next] ?? '').startsWith('key-published ')) {
    statement.keyUrl = lines[next].slice('key-published '.length);
    if (!isKeyAddress(statement.keyUrl)) throw new Error('the export statement key-published line is not an absolute http(s) address');
    next += 1;
  }
  for (const line of lines.slice(next, -1)) {
    const file = /^file (\S+) ([0-9a-f]{64}) (0|[1-9][0-9]*) (.+)$/.exec(line);
    const fact = /^facts (\S+) (0|[1-9][0-9]*) (\S+)$/.exec(line);
    if (file && statement.facts.length === 0) {
      if (!isSafeBundlePath(file[4]) || statement.files.some((f) => f.path === file[4])) throw new Error(`the export statement lists "${file[4]}" twice or outside the bundle`);
      statement.files.push({ kind: file[1], sha256: file[2], bytes: Number(file[3]), path: file[4] });
    } else if (fact) {
      if (statement.facts.some((f) => f.captureId === fact[1])) throw new Error(`the export statement lists capture ${fact[1]} twice`);
      statement.facts.push({ captureId: fact[1], leafIndex: Number(fact[2]), entry: utf8Decoder.decode(fromBase64(fact[3])) });
    } else {
      throw new Error(`unexpected export statement line "${line.slice(0, 80)}"`);
    }
  }
  return statement;
}

/** Files an operating system or an unzip tool leaves beside what it unpacked; never evidence. */
export function isSystemLitter(path) {
  const segments = path.split('/');
  const name = segments[segments.length - 1];
  return segments[0] === '__MACOSX' || name === '.DS_Store' || name.startsWith('._') || name === 'Thumbs.db' || name === 'desktop.ini';
}

/** One problem of one part, with a code and the values a translated message needs. */
function problemOf(part, code, message, params = {}) {
  return { part, code, message, params };
}

/**
 * What is wrong with an entry's inclusion proof against the bundle's checkpoint (none when it holds):
 * no checkpoint to check against, a proof that does not lead to its root, a checkpoint that is invalid.
 */
function inclusionProblems(item, checkpoint, checkpointResult) {
  const problems = [];
  if (!checkpoint) {
    problems.push(problemOf('proof', 'noCheckpoint', 'there is no readable checkpoint to check the inclusion proof against'));
  } else {
    let included = false;
    try {
      included = verifyInclusion(fromHex(item.leafHash), item.leafIndex, checkpoint.size, item.proof.map(fromHex), checkpoint.rootHash);
    } catch {
      included = false;
    }
    if (!included) problems.push(problemOf('proof', 'proofFails', `the inclusion proof for leaf ${item.leafIndex} does not lead to the checkpoint's root hash`, { index: item.leafIndex }));
  }
  if (!checkpointResult.ok) problems.push(problemOf('checkpoint', 'checkpointInvalid', checkpointResult.problem));
  return problems;
}

/**
 * Checks the statement's signature (by the log's own key) and that it speaks of this bundle's
 * checkpoint. A missing statement is a failure when `required`: a bundle without it could have any
 * manifest or report at all.
 */
export async function checkExportStatement({ statementText, keyLine, checkpoint, required, ed25519Verify }) {
  const result = { present: typeof statementText === 'string', ok: false, problems: [], statement: null };
  if (!result.present) {
    if (required) {
      result.problems.push(problemOf('statement', 'statementMissing',
        `${EXPORT_STATEMENT_PATH} is missing, so manifest.json, the report and the capture facts cannot be checked`, { path: EXPORT_STATEMENT_PATH }));
    } else {
      result.ok = true;
    }
    return result;
  }
  const signed = await verifySignedNote(statementText, keyLine, ed25519Verify);
  if (!signed.ok) {
    result.problems.push(problemOf('statement', 'statementChanged',
      `${EXPORT_STATEMENT_PATH} was changed after export or not signed by this log's key: ${signed.reason}`, { path: EXPORT_STATEMENT_PATH, reason: signed.reason }));
    return result;
  }
  try {
    result.statement = parseExportStatement(signed.text);
  } catch (error) {
    result.problems.push(problemOf('statement', 'statementUnreadable', `${EXPORT_STATEMENT_PATH} cannot be read: ${error.message}`, { path: EXPORT_STATEMENT_PATH, reason: error.message }));
    return result;
  }
  const s = result.statement;
  if (s.key !== null && s.key !== keyLine) {
    result.problems.push(problemOf('statement', 'statementOtherKey',
      `the export statement names key ${keyFingerprint(s.key)} as its signer, but verification/key.txt holds ${keyFingerprint(keyLine)}`, { key: keyFingerprint(s.key) }));
  }
  if (checkpoint && (s.origin !== checkpoint.origin || s.checkpointSize !== checkpoint.size || s.rootHash !== toHex(checkpoint.rootHash))) {
    result.problems.push(problemOf('statement', 'statementOtherCheckpoint',
      `the export statement is for checkpoint ${s.checkpointSize} of ${s.origin}, not for this bundle's checkpoint.txt`, { size: s.checkpointSize }));
  }
  result.ok = result.problems.length === 0;
  return result;
}

/**
 * Every file the statement lists, against the bundle: documents made at export by their hash,
 * originals against their proof in proofs.json. Returns the documents' results and adds any
 * disagreement about an original to that original's result.
 */
export async function checkExportedFiles(statement, originals, hashFile) {
  const documents = [];
  for (const listed of statement.files) {
    const problems = [];
    if (listed.kind === 'original') {
      const original = originals.find((file) => file.path === listed.path);
      if (!original) {
        documents.push({ path: listed.path, kind: listed.kind, ok: false, problems: [problemOf('statement', 'originalWithoutProof',
          `${listed.path} is an original of this export, but verification/proofs.json has no proof for it`, { path: listed.path })] });
      } else if (original.entry && (original.entry.sha256 !== listed.sha256 || original.entry.bytes !== listed.bytes)) {
        original.problems.push(problemOf('statement', 'originalNotExported',
          `the export statement records SHA-256 ${listed.sha256} for ${listed.path}; the proof is for another file, SHA-256 ${original.entry.sha256}`,
          { path: listed.path, sha256: listed.sha256, proven: original.entry.sha256 }));
        original.ok = false;
      }
      continue;
    }
    const actual = await hashFile(listed.path, listed.bytes);
    if (!actual) {
      problems.push(problemOf('document', 'missing', `${listed.path} is missing: the export made it`, { path: listed.path }));
    } else if (actual.sha256 !== listed.sha256 || actual.bytes !== listed.bytes) {
      problems.push(problemOf('document', 'changed',
        `${listed.path} was changed after export: its SHA-256 is ${actual.sha256} (${actual.bytes} bytes), ` +
          `the signed export statement records ${listed.sha256} (${listed.bytes} bytes)`, { path: listed.path }));
    }
    documents.push({ path: listed.path, kind: listed.kind, ok: problems.length === 0, problems });
  }
  for (const original of originals) {
    if (!statement.files.some((listed) => listed.kind === 'original' && listed.path === original.path)) {
      original.problems.push(problemOf('statement', 'notExported', `${original.path} is not an original of this export (it is not in the signed export statement)`, { path: original.path }));
      original.ok = false;
    }
  }
  return documents;
}

/**
 * Each capture's facts: the entry against its leaf and the leaf against the checkpoint (as for an
 * original), then against the copy the export statement signed, which names the fact that differs.
 */
export function checkCaptureFacts({ captureFactsText, checkpoint, checkpointResult, statement, originals }) {
  const result = { captures: [], notInLog: [], problems: [] };
  let document = null;
  if (typeof captureFactsText === 'string') {
    try {
      document = JSON.parse(captureFactsText);
      if (document.format !== CAPTURE_FACTS_PROOFS_FORMAT || !Array.isArray(document.captures)) throw new Error(`not ${CAPTURE_FACTS_PROOFS_FORMAT}`);
    } catch (error) {
      result.problems.push(problemOf('facts', 'factsUnreadable', `${CAPTURE_FACTS_PATH} cannot be read: ${error.message}`, { path: CAPTURE_FACTS_PATH }));
      document = null;
    }
  } else if (statement && statement.facts.length > 0) {
    result.problems.push(problemOf('facts', 'factsMissing', `${CAPTURE_FACTS_PATH} is missing: the export put capture facts in it`, { path: CAPTURE_FACTS_PATH }));
  }
  const items = document ? document.captures : [];
  if (document && Array.isArray(document.notInLog)) {
    result.notInLog = document.notInLog
      .filter((item) => item && typeof item.captureId === 'string')
      .map((item) => ({ captureId: item.captureId, kind: typeof item.kind === 'string' ? item.kind : null, reason: String(item.reason ?? '') }));
  }
  for (const item of items) result.captures.push(checkOneCaptureFacts(item, { checkpoint, checkpointResult, statement, originals }));
  if (statement) {
    for (const signed of statement.facts) {
      if (result.captures.some((capture) => capture.captureId === signed.captureId)) continue;
      let facts = null;
      try {
        facts = parseCaptureFacts(signed.entry);
      } catch {
        // Reported as missing all the same.
      }
      result.captures.push({ captureId: signed.captureId, leafIndex: signed.leafIndex, facts, ok: false, changes: [], problems: [
        problemOf('facts', 'factsRemoved', `the facts of capture ${signed.captureId} were removed from ${CAPTURE_FACTS_PATH}`, { capture: signed.captureId }),
      ] });
    }
  }
  return result;
}

function checkOneCaptureFacts(item, { checkpoint, checkpointResult, statement, originals }) {
  const problems = [];
  const captureId = item && typeof item.captureId === 'string' ? item.captureId : '(no capture ID)';
  let facts = null;
  // When this bundle's copy differs from the one the export statement signed: the facts as the log recorded them.
  let logged = null;
  let changes = [];
  try {
    facts = parseCaptureFacts(item.entry);
    if (facts.capture !== captureId) problems.push(problemOf('facts', 'factsOtherCapture', `the entry is the facts of capture ${facts.capture}, not of ${captureId}`, { capture: captureId }));
  } catch (error) {
    problems.push(problemOf('facts', 'factsUnreadable', `the capture facts entry is unreadable: ${error.message}`, { capture: captureId }));
  }
  let leafMatches = false;
  if (typeof item.entry === 'string') {
    const entryLeaf = toHex(leafHashOf(utf8(item.entry)));
    leafMatches = entryLeaf === item.leafHash;
    if (!leafMatches) problems.push(problemOf('facts', 'factsAltered', `the capture facts were changed: they hash to leaf ${entryLeaf}, but the proof is for leaf ${item.leafHash}`, { capture: captureId }));
  }
  problems.push(...inclusionProblems(item, checkpoint, checkpointResult));

  if (statement) {
    const signed = statement.facts.find((fact) => fact.captureId === captureId);
    if (!signed) {
      problems.push(problemOf('facts', 'factsNotExported', `the facts of capture ${captureId} are not in the signed export statement: they were added or swapped after export`, { capture: captureId }));
    } else {
      if (signed.leafIndex !== item.leafIndex) {
        problems.push(problemOf('facts', 'factsOtherEntry', `the export statement records these facts as log entry ${signed.leafIndex}, this file as ${item.leafIndex}`, { capture: captureId }));
      }
      if (signed.entry !== item.entry) {
        try {
          logged = parseCaptureFacts(signed.entry);
        } catch {
          // The changed lines are still named below.
        }
        changes = diffCaptureFacts(signed.entry, item.entry);
        for (const change of changes) {
          const fact = FACT_NAMES[change.field] ?? change.field;
          if (change.field === 'weight-grams' || change.field === 'expected-grams') {
            for (const side of ['logged', 'now']) if (change[side] !== null) change[side] = `${change[side]} g`;
          }
          problems.push(problemOf('facts', 'factChanged',
            `the ${fact} was changed: the log recorded ${change.logged === null ? 'no such fact' : `"${change.logged}"`}, this bundle says ${change.now === null ? 'nothing' : `"${change.now}"`}`,
            { fact: change.field, logged: change.logged ?? '—', now: change.now ?? '—' }));
        }
        if (changes.length === 0) problems.push(problemOf('facts', 'factsReordered', 'the lines of the capture facts were reordered after export', { capture: captureId }));
      }
    }
    if (facts && facts.order !== statement.orderId) {
      problems.push(problemOf('facts', 'factsOtherOrder', `these are the facts of a capture on order ${facts.order}; this bundle is for order ${statement.orderId}`, { order: facts.order }));
    }
  }
  // Every original of this capture in the bundle must be one the facts list: same media, same bytes.
  if (facts && leafMatches) {
    for (const original of originals) {
      if (!original.entry || original.entry.capture !== facts.capture) continue;
      if (!facts.media.some((media) => media.id === original.entry.media && media.sha256 === original.entry.sha256)) {
        problems.push(problemOf('facts', 'factsLackOriginal', `${original.path} is not among the media these capture facts list`, { path: original.path }));
      }
    }
  }
  return { captureId, leafIndex: item.leafIndex, facts, logged, ok: problems.length === 0, changes, problems };
}

/**
 * Files in the unzipped bundle that the export did not make. Folders the export made hold only what
 * it put there; a file beside them is reported too, since a reader could take it for evidence.
 */
export function findAddedFiles(presentPaths, statement) {
  const made = new Set(statement.files.map((file) => file.path));
  made.add(EXPORT_STATEMENT_PATH);
  const added = [];
  for (const path of presentPaths) {
    if (made.has(path) || isSystemLitter(path)) continue;
    added.push({ path, ok: false, problems: [problemOf('added', 'added', `${path} was added after export: it is not part of the exported bundle`, { path })] });
  }
  return added;
}

/**
 * With no valid export statement, every file of the bundle that is not an original proven by
 * proofs.json (manifest.json, the report, README.txt, the verifiers): none of them can be checked.
 */
export function findUncheckedFiles(presentPaths, originals) {
  const proven = new Set(originals.map((file) => file.path));
  return presentPaths
    .filter((path) => !proven.has(path) && !isSystemLitter(path) && path !== EXPORT_STATEMENT_PATH)
    .sort()
    .map((path) => ({ path, reason: 'no signed export statement' }));
}

/** A hashFile that hashes each path once, since originals are checked both by proof and by statement. */
export function hashOnce(hashFile) {
  const hashes = new Map();
  return (path, expectedBytes) => {
    if (!hashes.has(path)) hashes.set(path, hashFile(path, expectedBytes));
    return hashes.get(path);
  };
}

// ---------------------------------------------------------------------------------------------
// A bundle's verification: per file, its bytes against its ledger entry, the entry against its
// leaf, the leaf's inclusion proof against the checkpoint root, and the checkpoint's signature.

/** Bundle-relative paths only: no absolute paths, no "..", no backslashes, so a hostile proofs.json cannot aim outside. */
export function isSafeBundlePath(path) {
  return (
    typeof path === 'string' &&
    path.length > 0 &&
    !path.startsWith('/') &&
    !path.includes('\\') &&
    !path.includes('\0') &&
    path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..')
  );
}

/**
 * @param {{
 *   checkpointText: string, keyText: string, proofsText: string,
 *   statementText?: string | null, captureFactsText?: string | null,
 *   hashFile: (path: string, expectedBytes: number) => Promise<{ sha256: string, bytes: number } | null>,
 *   listFiles?: () => Promise<string[]>,
 *   requireStatement?: boolean,
 *   ed25519Verify?: (publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array) => Promise<boolean>,
 *   checkTime?: (checkpointText: string) => Promise<{ status: 'attested' | 'failed' | 'none' }>,
 * }} input
 * `hashFile` gives the lower-case hex SHA-256 and size of a bundle file, or null when it is absent.
 * `statementText` and `captureFactsText` are verification/export-statement.txt and
 * verification/capture-facts.json, null when the bundle has none. `listFiles`, when the whole
 * unzipped bundle is at hand, lists every file in it (bundle-relative) so added ones are found.
 * `requireStatement`: a bundle without an export statement fails (the verifiers inside bundles made
 * with one always require it; bundles in the older v1 format are checked without it otherwise).
 * `checkTime` checks the checkpoint's RFC 3161 time-stamp tokens (verifier/timestamp.js, which the
 * host loads only when the bundle has tokens); without it the bundle has no independent time.
 */
export async function verifyBundle({
  checkpointText, keyText, proofsText, statementText = null, captureFactsText = null, hashFile, listFiles, requireStatement, ed25519Verify, checkTime,
}) {
  const keyLine = keyText.trim();
  const report = {
    ok: false,
    key: keyLine,
    problem: null,
    checkpoint: { ok: false, origin: null, size: null, rootHash: null, problem: null },
    time: NO_TIMESTAMP,
    files: [],
    statement: { present: false, ok: false, exportedAt: null, disputeId: null, orderId: null, key: null, keyUrl: null, problems: [] },
    documents: [],
    /** Files in the bundle that are not originals and could not be checked, because no valid export statement covers them. */
    unchecked: [],
    captures: [],
    notInLog: [],
    factsProblems: [],
    added: [],
    /** Items retention removed before export: their log entries are proven; no file is expected for them. */
    removed: [],
  };

  let proofs;
  try {
    proofs = JSON.parse(proofsText);
    if (![PROOFS_FORMAT, PROOFS_FORMAT_V1].includes(proofs.format) || !Array.isArray(proofs.files)) throw new Error(`not ${PROOFS_FORMAT}`);
  } catch (error) {
    report.problem = `proofs.json cannot be read: ${error.message}`;
    return report;
  }

  const signed = await verifySignedNote(checkpointText, keyLine, ed25519Verify);
  let checkpoint = null;
  try {
    checkpoint = parseCheckpoint(signed.ok ? signed.text : parseNote(checkpointText).text);
    report.checkpoint.origin = checkpoint.origin;
    report.checkpoint.size = checkpoint.size;
    report.checkpoint.rootHash = toHex(checkpoint.rootHash);
  } catch (error) {
    report.checkpoint.problem = `checkpoint.txt is not a checkpoint: ${error.message}`;
  }
  if (!signed.ok) {
    report.checkpoint.problem = `the checkpoint signature is not valid: ${signed.reason}`;
  } else if (checkpoint && checkpoint.size !== proofs.treeSize) {
    report.checkpoint.problem = `the proofs are for a tree of ${proofs.treeSize} entries but the checkpoint is for ${checkpoint.size}`;
  } else if (checkpoint) {
    report.checkpoint.ok = true;
  }

  const hash = hashOnce(hashFile);
  for (const item of proofs.files) {
    report.files.push(await verifyBundleFile(item, checkpoint, report.checkpoint, hash));
  }
  if (Array.isArray(proofs.removed)) {
    for (const item of proofs.removed) report.removed.push(verifyRemovedItem(item, checkpoint, report.checkpoint));
  }

  const required = requireStatement ?? proofs.format !== PROOFS_FORMAT_V1;
  const exported = await checkExportStatement({ statementText, keyLine, checkpoint: report.checkpoint.ok ? checkpoint : null, required, ed25519Verify });
  const statement = exported.ok ? exported.statement : null;
  report.statement = {
    present: exported.present,
    ok: exported.ok,
    exportedAt: statement ? statement.exportedAt : null,
    disputeId: statement ? statement.disputeId : null,
    orderId: statement ? statement.orderId : null,
    key: statement ? statement.key : null,
    keyUrl: statement ? statement.keyUrl : null,
    problems: exported.problems,
  };
  if (statement) report.documents = await checkExportedFiles(statement, report.files, hash);
  else if (listFiles) report.unchecked = findUncheckedFiles(await listFiles(), report.files);

  const facts = checkCaptureFacts({ captureFactsText, checkpoint, checkpointResult: report.checkpoint, statement, originals: report.files });
  report.captures = facts.captures;
  report.notInLog = facts.notInLog;
  report.factsProblems = facts.problems;
  // Without a valid statement the facts are still proven by the log, but nothing ties this bundle's
  // copy of them to this export (facts of another capture in the same log would pass as well).
  if (!statement) for (const capture of report.captures) capture.exportMatched = false;

  if (statement && listFiles) report.added = findAddedFiles(await listFiles(), statement);

  report.time = await checkBundleTime(checkTime, checkpointText);

  report.ok =
    report.checkpoint.ok &&
    report.time.status !== 'failed' &&
    // A bundle whose every original retention removed still passes on their proven log entries.
    report.files.length + report.removed.length > 0 &&
    report.files.every((file) => file.ok) &&
    report.removed.every((item) => item.ok) &&
    report.statement.ok &&
    report.documents.every((document) => document.ok) &&
    report.captures.every((capture) => capture.ok) &&
    report.factsProblems.length === 0 &&
    report.added.length === 0;
  return report;
}

// ---------------------------------------------------------------------------------------------
// Time. Every time in a bundle comes from the shop's server unless an independent RFC 3161
// authority time-stamped the checkpoint; a token that does not check out fails the bundle.

export const NO_TIMESTAMP = Object.freeze({ status: 'none', genTime: null, tsa: null, tokens: [] });

async function checkBundleTime(checkTime, checkpointText) {
  if (!checkTime) return NO_TIMESTAMP;
  try {
    return await checkTime(checkpointText);
  } catch (error) {
    return { status: 'failed', genTime: null, tsa: null, tokens: [{ ok: false, problem: `the time-stamp cannot be checked: ${error.message}` }] };
  }
}

/** "2026-05-01T05:03:12.000Z" → "2026-05-01 05:03:12 UTC". */
export function formatUtc(iso) {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** The time lines of the text report. */
export function formatTimeReport(time) {
  if (time.status === 'none') {
    return ["Time:        NOT independently attested: every time in this bundle comes from the shop's own server clock"];
  }
  if (time.status === 'failed') {
    return time.tokens.filter((token) => !token.ok).map((token) => `Time:        FAILED: ${token.problem}`);
  }
  const lines = [`Time:        existed no later than ${formatUtc(time.genTime)}, attested by ${time.tsa}`];
  for (const token of time.tokens) {
    lines.push(`             RFC 3161 time-stamp of checkpoint.txt; the authority's certificate has SHA-256 ${token.certificate.sha256}`);
    for (const issuer of token.chain) lines.push(`             issued by ${issuer.subject} (SHA-256 ${issuer.sha256})`);
  }
  lines.push('             (trust this time only if you trust that authority: compare its certificate fingerprint with');
  lines.push('             the one it publishes; this check ships no list of trusted authorities)');
  return lines;
}

async function verifyBundleFile(item, checkpoint, checkpointResult, hashFile) {
  const problems = [];
  const problem = (part, message) => problems.push({ part, message });
  const path = typeof item.path === 'string' ? item.path : '(no path)';

  let entry = null;
  try {
    entry = parseEntry(item.entry);
    const entryLeaf = toHex(leafHashOf(utf8(item.entry)));
    if (entryLeaf !== item.leafHash) {
      problem('entry', `the ledger entry was altered: it hashes to leaf ${entryLeaf}, but the proof is for leaf ${item.leafHash}`);
    }
  } catch (error) {
    problem('entry', `the ledger entry is unreadable: ${error.message}`);
  }

  problems.push(...inclusionProblems(item, checkpoint, checkpointResult));

  if (!isSafeBundlePath(item.path)) {
    problem('file', `"${path}" is not a path inside the bundle`);
  } else if (entry) {
    const actual = await hashFile(item.path, entry.bytes);
    if (!actual) {
      problem('file', 'the file is missing from the bundle');
    } else if (actual.sha256 !== entry.sha256 || actual.bytes !== entry.bytes) {
      problem(
        'file',
        `the file's bytes differ from the original: SHA-256 ${actual.sha256} (${actual.bytes} bytes), ` +
          `the ledger entry records ${entry.sha256} (${entry.bytes} bytes)`,
      );
    }
  }
  return { path, mediaId: entry ? entry.media : null, entry, ok: problems.length === 0, problems };
}

/**
 * An item whose original the shop's retention removed before export: its file is not expected, but its
 * ledger entry must be the one the log recorded (its inclusion proof leads to the checkpoint) and name
 * the bytes the export says were removed.
 */
function verifyRemovedItem(item, checkpoint, checkpointResult) {
  const problems = [];
  const text = (value) => (typeof value === 'string' ? value : null);
  let entry = null;
  try {
    entry = parseEntry(item.entry);
    const entryLeaf = toHex(leafHashOf(utf8(item.entry)));
    if (entryLeaf !== item.leafHash) {
      problems.push(problemOf('entry', 'entryAltered', `the ledger entry was altered: it hashes to leaf ${entryLeaf}, but the proof is for leaf ${item.leafHash}`));
    }
    if (entry.media !== item.mediaId || entry.sha256 !== item.sha256) {
      problems.push(problemOf('entry', 'entryOtherMedia', `the ledger entry is for media ${entry.media} (SHA-256 ${entry.sha256}), not for the removed item ${item.mediaId}`));
    }
  } catch (error) {
    problems.push(problemOf('entry', 'entryUnreadable', `the ledger entry is unreadable: ${error.message}`));
  }
  problems.push(...inclusionProblems(item, checkpoint, checkpointResult));
  return {
    mediaId: text(item.mediaId) ?? '(no media ID)',
    sha256: text(item.sha256),
    removedAt: text(item.removedAt) ?? '(unknown)',
    reason: text(item.reason) ?? '(unknown)',
    leafIndex: item.leafIndex,
    entry,
    ok: problems.length === 0,
    problems,
  };
}

/** Why an original was removed, in words (the codes removed-media.ts gives). */
export const REMOVAL_REASONS = { retention: "under the shop's retention policy" };

export const PART_LABELS = {
  file: 'file bytes',
  entry: 'ledger entry',
  proof: 'inclusion proof',
  checkpoint: 'checkpoint signature',
  statement: 'export statement',
  document: 'document',
  facts: 'capture facts',
  added: 'added file',
};

/** A capture's facts as short readable lines (weight, expected weight, checklist, times, station). */
export function describeCaptureFacts(facts) {
  const grams = (value) => `${value} g`;
  // Typed text quoted as JSON, so a newline or a quote in it shows as what it is.
  const text = (value) => JSON.stringify(value);
  const lines = [];
  const who = facts.recordedBy
    ? `recorded by ${facts.recordedBy.kind} ${facts.recordedBy.name !== null ? `${text(facts.recordedBy.name)} ` : ''}(${facts.recordedBy.id})`
    : null;
  lines.push([facts.station !== null ? `station ${text(facts.station)}` : 'no station recorded', who].filter(Boolean).join('; '));
  lines.push(`started ${facts.started}, finished ${facts.finished} (the server's clock)`);
  // An expected weight means something only beside a measured one: a capture without a weight says no more.
  if (facts.weight) {
    const entered = facts.weight.unit === 'g' && facts.weight.value === facts.weight.grams ? '' : ` (entered as ${facts.weight.value} ${facts.weight.unit})`;
    const tolerance = facts.tolerancePercent != null ? ` ± ${facts.tolerancePercent} %` : '';
    const expected = `expected then ${facts.expectedGrams !== null ? `${grams(facts.expectedGrams)}${tolerance}` : 'unknown'}`;
    lines.push(`weight ${grams(facts.weight.grams)}${entered}; ${expected}`);
  } else {
    lines.push('no weight recorded');
  }
  if (facts.tracking !== null) lines.push(`tracking number ${text(facts.tracking)}`);
  if (facts.checklist.length > 0) {
    lines.push(`checklist: ${facts.checklist.map((check) => `${text(check.item)} ${check.result}${check.note !== null ? ` (${text(check.note)})` : ''}`).join('; ')}`);
  }
  if (facts.outcome !== null) lines.push(`outcome: ${facts.outcome}`);
  if (facts.note !== null) lines.push(`note: ${text(facts.note)}`);
  lines.push(`media: ${facts.media.length} file${facts.media.length === 1 ? '' : 's'}, each by its SHA-256`);
  const tagged = facts.media.filter((media) => media.tags?.length > 0);
  if (tagged.length > 0) lines.push(`photo tags at finish: ${tagged.map((media) => `${media.id} ${media.tags.join(', ')}`).join('; ')}`);
  return lines;
}

/** The report as plain text lines, the same for verify.mjs and `npm run verify`. */
export function formatBundleReport(report) {
  const lines = [];
  const cp = report.checkpoint;
  const status = (ok) => (ok ? 'verified' : 'FAILED  ');
  const problemLines = (problems) => problems.map((p) => `          - ${PART_LABELS[p.part] ?? p.part}: ${p.message}`);
  lines.push('Packtrail evidence bundle verification');
  if (report.problem) {
    lines.push(`FAILED: ${report.problem}`);
    lines.push('RESULT: verification FAILED');
    return lines;
  }
  lines.push(`Log:         ${cp.origin ?? '(unreadable)'}${cp.size !== null ? `, ${cp.size} entries, root ${cp.rootHash}` : ''}`);
  lines.push(`Signing key: ${report.key}`);
  lines.push(report.statement.keyUrl
    ? `             (the shop publishes its key at ${report.statement.keyUrl}: compare the two)`
    : '             (this bundle does not say where the shop publishes its key; ask the shop for it)');
  lines.push(`Checkpoint:  ${cp.ok ? 'signature valid' : `FAILED: ${cp.problem}`}`);
  lines.push(...formatTimeReport(report.time ?? NO_TIMESTAMP));
  const ex = report.statement;
  if (ex.ok && ex.exportedAt) {
    lines.push(`Export:      statement signed by the same key: exported ${ex.exportedAt}, dispute ${ex.disputeId}, order ${ex.orderId}`);
  } else if (ex.ok) {
    lines.push('Export:      no export statement (a bundle made before they existed): manifest.json and the report are NOT covered');
  } else {
    lines.push('Export:      FAILED');
    lines.push(...problemLines(ex.problems));
  }

  lines.push('');
  lines.push('ORIGINALS, each proven byte for byte by its entry in the log:');
  for (const file of report.files) {
    lines.push(`${status(file.ok)}  ${file.path}`);
    if (file.entry) {
      const e = file.entry;
      lines.push(`          ${e.kind}, ${e.mime}, ${e.bytes} bytes, order ${e.order}, received by the server ${e.received}`);
    }
    lines.push(...problemLines(file.problems));
  }

  const removed = report.removed ?? [];
  if (removed.length > 0) {
    lines.push('');
    lines.push('REMOVED BEFORE EXPORT, no file expected; each log entry proven by the log:');
    for (const item of removed) {
      lines.push(`${status(item.ok)}  media ${item.mediaId}, log entry ${item.leafIndex}`);
      if (item.entry) {
        const e = item.entry;
        lines.push(`          ${e.kind}, ${e.mime}, ${e.bytes} bytes, SHA-256 ${e.sha256}, received by the server ${e.received}`);
      }
      lines.push(`          removed ${item.removedAt} ${REMOVAL_REASONS[item.reason] ?? `(${item.reason})`}`);
      lines.push(...problemLines(item.problems));
    }
  }

  if (report.captures.length > 0 || report.notInLog.length > 0 || report.factsProblems.length > 0) {
    lines.push('');
    lines.push('CAPTURE FACTS, each proven by its entry in the log:');
    for (const capture of report.captures) {
      // A failed capture shows what the log recorded, never the changed copy as if it were a fact.
      const logOnly = capture.ok && capture.exportMatched === false;
      const trusted = capture.ok ? capture.facts : capture.logged ?? null;
      const where = `log entry ${capture.leafIndex}`;
      lines.push(`${logOnly ? 'log only' : status(capture.ok)}  ${trusted ? `${trusted.kind} capture ${capture.captureId}, order ${trusted.order}` : `capture ${capture.captureId}`}, ${where}`);
      if (logOnly) lines.push("          checked against the log; this bundle's copy of them could not be matched to the export");
      if (trusted) {
        if (!capture.ok) lines.push('          as the log recorded them:');
        for (const line of describeCaptureFacts(trusted)) lines.push(`          ${line}`);
      } else if (capture.facts) {
        lines.push("          this bundle's copy of them, NOT verified (see below):");
        for (const line of describeCaptureFacts(capture.facts)) lines.push(`            ${line}`);
      }
      if (!capture.ok && capture.changes && capture.changes.length > 0) {
        lines.push(`          changed in this bundle: ${capture.changes.map((change) => FACT_NAMES[change.field] ?? change.field).join(', ')}`);
      }
      lines.push(...problemLines(capture.problems));
    }
    for (const missing of report.notInLog) {
      lines.push(`not in the log  ${missing.kind ?? ''} capture ${missing.captureId}: ${missing.reason}`.replace('  capture', ' capture'));
    }
    for (const p of report.factsProblems) lines.push(`FAILED    ${PART_LABELS[p.part] ?? p.part}: ${p.message}`);
  }

  if (report.documents.length > 0) {
    lines.push('');
    lines.push('DOCUMENTS MADE AT EXPORT, covered by the signed export statement (not by the log):');
    for (const document of report.documents) {
      lines.push(`${status(document.ok)}  ${document.path}  (${document.kind})`);
      lines.push(...problemLines(document.problems));
    }
  }

  if (report.unchecked && report.unchecked.length > 0) {
    lines.push('');
    lines.push('NOT CHECKED, since no signed export statement covers them (they could have been changed or added):');
    for (const file of report.unchecked) lines.push(`NOT CHECKED – ${file.reason}: ${file.path}`);
  }

  if (report.added.length > 0) {
    lines.push('');
    lines.push('ADDED AFTER EXPORT, not part of the bundle:');
    for (const added of report.added) {
      lines.push(`FAILED    ${added.path}`);
      lines.push(...problemLines(added.problems));
    }
    lines.push('          (If the bundle was unzipped into a folder that already held other files, unzip it into an empty folder and check again.)');
  }

  lines.push('');
  const count = (items) => `${items.length}: ${items.filter((item) => item.ok).length} verified, ${items.filter((item) => !item.ok).length} failed`;
  if (report.files.length === 0 && removed.length === 0) lines.push('No originals were checked.');
  else if (report.files.length === 0) lines.push('No originals remain in this bundle.');
  else lines.push(`Originals ${count(report.files)}`);
  if (removed.length > 0) lines.push(`Removed under retention ${count(removed)} (their log entries; the files themselves are gone, which is not a failure)`);
  const logOnly = report.captures.filter((capture) => capture.ok && capture.exportMatched === false).length;
  if (report.captures.length > 0 && logOnly > 0) {
    lines.push(`Capture facts ${report.captures.length}: ${logOnly} checked against the log only, ${report.captures.filter((capture) => !capture.ok).length} failed`);
  } else if (report.captures.length > 0) {
    lines.push(`Capture facts ${count(report.captures)}`);
  }
  if (report.notInLog.length > 0) lines.push(`Captures whose facts are not in the log: ${report.notInLog.length}`);
  if (report.documents.length > 0) lines.push(`Documents ${count(report.documents)}`);
  if (report.unchecked && report.unchecked.length > 0) lines.push(`Not checked: ${report.unchecked.length}`);
  lines.push(...formatResultLines(report));
  return lines;
}

/**
 * The closing lines: a pass names the key it rests on and where to confirm that key is the shop's,
 * since a bundle from any other install (even one under the same shop name) verifies against its own key.
 */
export function formatResultLines(report) {
  if (!report.ok) return ['RESULT: verification FAILED'];
  const origin = report.checkpoint.origin ?? '';
  const unchecked = report.unchecked ? report.unchecked.length : 0;
  // An older bundle without a statement passes on its originals alone; it must not claim the rest.
  const lines = unchecked > 0
    ? [
      `RESULT: every original verified against log key ${keyFingerprint(report.key)} ("${origin}"); ${unchecked} other file${unchecked === 1 ? '' : 's'} NOT CHECKED.`,
      'This proves the originals are unchanged since that log recorded them.',
    ]
    : [
      `RESULT: every file verified against log key ${keyFingerprint(report.key)} ("${origin}").`,
      'This proves the files are unchanged since that log recorded them.',
    ];
  const removed = report.removed ?? [];
  if (removed.length > 0) {
    lines.push(`${removed.length} item${removed.length === 1 ? ' was' : 's were'} removed under the shop's retention policy before export: their log entries verified, their files are gone.`);
  }
  lines.push(report.statement.keyUrl
    ? `Confirm the key is the shop's own: compare it with ${report.statement.keyUrl}`
    : "Confirm the key is the shop's own: this bundle does not say where the shop publishes its key; ask the shop for it.");
  return lines;
}
