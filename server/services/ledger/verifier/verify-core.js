// Packtrail verification core: SHA-256, RFC 9162 Merkle proof checks, c2sp.org signed notes and
// tlog checkpoints, and the checks of one evidence bundle. Plain JavaScript with no imports and no
// Node or browser specifics, because this one text is what runs everywhere a bundle is checked: the
// server imports it, and verification-kit.ts pastes it into verify.mjs and verify.html, so a claims
// agent's offline check and ours can never drift apart. Keep it that way: no imports, no Buffer, no
// DOM, nothing but `export function` / `export const` / `export class` at the top level (the kit
// builder strips the `export ` keywords to inline it).

export const ENTRY_FORMAT = 'packtrail-ledger-entry/v1';
export const PROOFS_FORMAT = 'packtrail-verification/v1';

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
 *   hashFile: (path: string, expectedBytes: number) => Promise<{ sha256: string, bytes: number } | null>,
 *   ed25519Verify?: (publicKey: Uint8Array, signature: Uint8Array, message: Uint8Array) => Promise<boolean>,
 *   checkTime?: (checkpointText: string) => Promise<{ status: 'attested' | 'failed' | 'none' }>,
 * }} input
 * `hashFile` gives the lower-case hex SHA-256 and size of a bundle file, or null when it is absent.
 * `checkTime` checks the checkpoint's RFC 3161 time-stamp tokens (verifier/timestamp.js, which the
 * host loads only when the bundle has tokens); without it the bundle has no independent time.
 */
export async function verifyBundle({ checkpointText, keyText, proofsText, hashFile, ed25519Verify, checkTime }) {
  const keyLine = keyText.trim();
  const report = {
    ok: false,
    key: keyLine,
    problem: null,
    checkpoint: { ok: false, origin: null, size: null, rootHash: null, problem: null },
    time: NO_TIMESTAMP,
    files: [],
  };

  let proofs;
  try {
    proofs = JSON.parse(proofsText);
    if (proofs.format !== PROOFS_FORMAT || !Array.isArray(proofs.files)) throw new Error(`not ${PROOFS_FORMAT}`);
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

  for (const item of proofs.files) {
    report.files.push(await verifyBundleFile(item, checkpoint, report.checkpoint, hashFile));
  }
  report.time = await checkBundleTime(checkTime, checkpointText);
  report.ok = report.checkpoint.ok && report.time.status !== 'failed' && report.files.length > 0 && report.files.every((file) => file.ok);
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

  if (!checkpoint) {
    problem('proof', 'there is no readable checkpoint to check the inclusion proof against');
  } else {
    let included = false;
    try {
      included = verifyInclusion(fromHex(item.leafHash), item.leafIndex, checkpoint.size, item.proof.map(fromHex), checkpoint.rootHash);
    } catch {
      included = false;
    }
    if (!included) {
      problem('proof', `the inclusion proof for leaf ${item.leafIndex} does not lead to the checkpoint's root hash`);
    }
  }
  if (!checkpointResult.ok) problem('checkpoint', checkpointResult.problem);

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

export const PART_LABELS = {
  file: 'file bytes',
  entry: 'ledger entry',
  proof: 'inclusion proof',
  checkpoint: 'checkpoint signature',
};

/** The report as plain text lines, the same for verify.mjs and `npm run verify`. */
export function formatBundleReport(report) {
  const lines = [];
  const cp = report.checkpoint;
  lines.push('Packtrail evidence bundle verification');
  if (report.problem) {
    lines.push(`FAILED: ${report.problem}`);
    lines.push('RESULT: verification FAILED');
    return lines;
  }
  lines.push(`Log:         ${cp.origin ?? '(unreadable)'}${cp.size !== null ? `, ${cp.size} entries, root ${cp.rootHash}` : ''}`);
  lines.push(`Signing key: ${report.key}`);
  lines.push('             (compare it with the key the shop publishes at /api/v1/ledger/key)');
  lines.push(`Checkpoint:  ${cp.ok ? 'signature valid' : `FAILED: ${cp.problem}`}`);
  lines.push(...formatTimeReport(report.time ?? NO_TIMESTAMP));
  lines.push('');
  for (const file of report.files) {
    lines.push(`${file.ok ? 'verified' : 'FAILED  '}  ${file.path}`);
    if (file.entry) {
      const e = file.entry;
      lines.push(`          ${e.kind}, ${e.mime}, ${e.bytes} bytes, order ${e.order}, received by the server ${e.received}`);
    }
    for (const p of file.problems) lines.push(`          - ${PART_LABELS[p.part]}: ${p.message}`);
  }
  const verified = report.files.filter((file) => file.ok).length;
  lines.push('');
  if (report.files.length === 0) lines.push('No files were checked.');
  else lines.push(`${report.files.length} files: ${verified} verified, ${report.files.length - verified} failed`);
  lines.push(report.ok ? 'RESULT: every file verified' : 'RESULT: verification FAILED');
  return lines;
}
