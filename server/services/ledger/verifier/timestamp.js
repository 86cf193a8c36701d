// RFC 3161 time-stamp tokens over signed checkpoints: the check the server makes of every token an
// authority returns, and the same check the offline verifiers make of the token in a bundle. It reads
// the ASN.1 with PKI.js and asn1js (no hand-written DER) and does its cryptography through the Web
// Crypto object it is given, so one text runs in Node and in a browser. The server imports it as it is;
// verification-kit.ts bundles it with esbuild into verification/timestamp.mjs and verify.html.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** id-kp-timeStamping: RFC 3161 2.3 says a TSA's certificate carries this extended key usage, critical. */
export const TIME_STAMPING_PURPOSE = '1.3.6.1.5.5.7.3.8';
export const SHA256_OID = '2.16.840.1.101.3.4.2.1';
const EXTENDED_KEY_USAGE_OID = '2.5.29.37';

// The attribute names people know from certificate viewers; anything else shows as its OID.
const NAME_ATTRIBUTES = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

const engines = new WeakMap();
function engineFor(webCrypto) {
  if (!webCrypto || !webCrypto.subtle) throw new Error('Web Crypto is not available here, so a time-stamp cannot be checked');
  if (!engines.has(webCrypto)) engines.set(webCrypto, new pkijs.CryptoEngine({ name: 'packtrail', crypto: webCrypto }));
  return engines.get(webCrypto);
}

function hex(bytes) {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function arrayBufferOf(bytes) {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);
}

/** DER only, whole: trailing bytes after the structure could smuggle a second meaning. */
function parseDer(bytes, what) {
  const buffer = arrayBufferOf(bytes);
  const parsed = asn1js.fromBER(buffer);
  if (parsed.offset === -1 || parsed.offset !== buffer.byteLength) throw new Error(`${what} is not one well-formed ASN.1 structure`);
  return parsed.result;
}

/** A distinguished name the way RFC 4514 writes it, most specific first: "CN=…, O=…, C=…". */
export function distinguishedName(name) {
  return name.typesAndValues
    .map((attribute) => `${NAME_ATTRIBUTES[attribute.type] ?? attribute.type}=${attribute.value.valueBlock.value}`)
    .reverse()
    .join(', ');
}

/** The certificates of a PEM text (any number of "-----BEGIN CERTIFICATE-----" blocks), as DER. */
export function pemCertificates(text) {
  const blocks = String(text).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => {
    const base64 = block.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    const binary = atob(base64);
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  });
}

/** DER certificates as one PEM text, lines of 64 as RFC 7468 asks. */
export function certificatesPem(ders) {
  return ders
    .map((der) => {
      let binary = '';
      for (const byte of der) binary += String.fromCharCode(byte);
      const lines = btoa(binary).match(/.{1,64}/g) ?? [];
      return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
    })
    .join('');
}

function certificateDer(certificate) {
  return new Uint8Array(certificate.toSchema().toBER(false));
}

async function describeCertificate(certificate, engine) {
  return {
    subject: distinguishedName(certificate.subject),
    issuer: distinguishedName(certificate.issuer),
    sha256: hex(await engine.digest({ name: 'SHA-256' }, certificateDer(certificate))),
    notBefore: certificate.notBefore.value.toISOString(),
    notAfter: certificate.notAfter.value.toISOString(),
  };
}

function timeStampingUsage(certificate) {
  const extension = (certificate.extensions ?? []).find((candidate) => candidate.extnID === EXTENDED_KEY_USAGE_OID);
  if (!extension) return { present: false, critical: false };
  const purposes = extension.parsedValue?.keyPurposes ?? [];
  return { present: purposes.includes(TIME_STAMPING_PURPOSE), critical: extension.critical === true };
}

/** The issuers above `leaf` among `certificates`, nearest first, each link's signature checked. */
async function chainAbove(leaf, certificates, engine) {
  const chain = [];
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    if (current.issuer.isEqual(current.subject)) break;
    const issuer = certificates.find((candidate) => candidate !== current && candidate.subject.isEqual(current.issuer));
    if (!issuer) break;
    let signed = false;
    try {
      signed = await current.verify(issuer, engine);
    } catch {
      signed = false;
    }
    chain.push({ certificate: issuer, signed });
    current = issuer;
  }
  return chain;
}

/**
 * Checks one RFC 3161 time-stamp token (the DER TimeStampToken, a CMS ContentInfo) over `data`:
 * the token's message imprint is SHA-256 of exactly these bytes, its CMS signature is valid with the
 * TSA certificate it names (found in the token or among `certificates`), and that certificate is for
 * time-stamping and was valid at the time it attests. Never throws; `ok: false` carries a `problem`.
 *
 * @param {{ token: Uint8Array, data: Uint8Array, certificates?: Uint8Array[], crypto: Crypto }} input
 */
export async function checkTimestampToken({ token, data, certificates = [], crypto }) {
  const result = {
    ok: false, problem: null, genTime: null, tsa: null, certificate: null, chain: [], certificatesDer: [], policy: null, serialNumber: null, nonce: null, imprint: null,
  };
  let engine;
  try {
    engine = engineFor(crypto);
  } catch (error) {
    result.problem = error.message;
    return result;
  }

  let signedData;
  let tstInfo;
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: parseDer(token, 'the time-stamp token') });
    if (contentInfo.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('it is not CMS signed data');
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
    if (signedData.encapContentInfo.eContentType !== pkijs.id_eContentType_TSTInfo || !signedData.encapContentInfo.eContent) {
      throw new Error('it does not hold time-stamp information (TSTInfo)');
    }
    if (signedData.signerInfos.length !== 1) throw new Error(`it has ${signedData.signerInfos.length} signers instead of one`);
    tstInfo = pkijs.TSTInfo.fromBER(signedData.encapContentInfo.eContent.getValue());
  } catch (error) {
    result.problem = `the time-stamp token cannot be read: ${error.message}`;
    return result;
  }
  result.genTime = tstInfo.genTime.toISOString();
  result.policy = tstInfo.policy;
  result.serialNumber = hex(tstInfo.serialNumber.valueBlock.valueHexView);
  result.nonce = tstInfo.nonce ? hex(tstInfo.nonce.valueBlock.valueHexView) : null;
  result.imprint = hex(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView);

  // The imprint first, by itself: a token for other data is the commonest mistake and deserves its own words.
  const expected = hex(await engine.digest({ name: 'SHA-256' }, data));
  if (tstInfo.messageImprint.hashAlgorithm.algorithmId !== SHA256_OID) {
    result.problem = `the time-stamp token hashes with algorithm ${tstInfo.messageImprint.hashAlgorithm.algorithmId}, not SHA-256`;
    return result;
  }
  if (result.imprint !== expected) {
    result.problem = `the time-stamp token is for other data: it attests SHA-256 ${result.imprint}, but this checkpoint's SHA-256 is ${expected}`;
    return result;
  }

  // Certificates shipped beside the token stand in for any the authority left out of it.
  const extra = [];
  try {
    for (const der of certificates) extra.push(pkijs.Certificate.fromBER(arrayBufferOf(der)));
  } catch (error) {
    result.problem = `a certificate beside the time-stamp token cannot be read: ${error.message}`;
    return result;
  }
  const inToken = (signedData.certificates ?? []).filter((item) => item instanceof pkijs.Certificate);
  const all = [...inToken, ...extra.filter((cert) => !inToken.some((known) => known.subject.isEqual(cert.subject) && known.serialNumber.isEqual(cert.serialNumber)))];
  signedData.certificates = all;

  let verified;
  try {
    verified = await signedData.verify({ signer: 0, data: arrayBufferOf(data), extendedMode: true, checkChain: false }, engine);
  } catch (error) {
    const reason = error && error.message ? error.message : String(error);
    result.problem = /signer certificate/i.test(reason)
      ? "the time-stamp token's signing certificate is neither in the token nor beside it"
      : `the time-stamp token's signature does not verify: ${reason}`;
    return result;
  }
  const signer = verified.signerCertificate;
  if (!verified.signatureVerified || !signer) {
    result.problem = "the time-stamp token's signature does not match its content";
    return result;
  }
  result.certificate = await describeCertificate(signer, engine);
  result.tsa = result.certificate.subject;
  result.certificatesDer.push(certificateDer(signer));
  for (const link of await chainAbove(signer, all, engine)) {
    result.chain.push({ ...(await describeCertificate(link.certificate, engine)), signed: link.signed });
    result.certificatesDer.push(certificateDer(link.certificate));
  }

  const usage = timeStampingUsage(signer);
  if (!usage.present) {
    result.problem = `the certificate of ${result.tsa} is not for time-stamping (it lacks the timeStamping extended key usage)`;
    return result;
  }
  if (!usage.critical) {
    result.problem = `the certificate of ${result.tsa} marks its timeStamping key usage as not critical, which RFC 3161 forbids`;
    return result;
  }
  const genTime = tstInfo.genTime.getTime();
  if (genTime < signer.notBefore.value.getTime() || genTime > signer.notAfter.value.getTime()) {
    result.problem = `the certificate of ${result.tsa} was not valid at ${result.genTime} (valid ${result.certificate.notBefore} to ${result.certificate.notAfter})`;
    return result;
  }
  const broken = result.chain.find((link) => !link.signed);
  if (broken) {
    result.problem = `the certificate chain beside the token is broken: ${broken.subject} did not sign the certificate below it`;
    return result;
  }
  result.ok = true;
  return result;
}

/**
 * The time-stamps of a bundle's checkpoint: `status` "attested" when there is at least one token and
 * every one is valid over the checkpoint's exact bytes, "failed" when any is not, and "none" without
 * tokens (then every time in the bundle rests on the shop's own server clock). `genTime` is the
 * earliest attested time and `tsa` the authority that attested it.
 *
 * @param {{ checkpointText: string, tokens: Uint8Array[], certificatesPem?: string, crypto: Crypto }} input
 */
export async function checkCheckpointTimestamps({ checkpointText, tokens, certificatesPem: pem = '', crypto }) {
  if (!tokens || tokens.length === 0) return { status: 'none', genTime: null, tsa: null, tokens: [] };
  const data = new TextEncoder().encode(checkpointText);
  let certificates = [];
  try {
    certificates = pemCertificates(pem);
  } catch {
    certificates = [];
  }
  const results = [];
  for (const token of tokens) results.push(await checkTimestampToken({ token, data, certificates, crypto }));
  const attested = results.filter((item) => item.ok).sort((a, b) => a.genTime.localeCompare(b.genTime));
  return {
    status: attested.length === results.length ? 'attested' : 'failed',
    genTime: attested.length > 0 ? attested[0].genTime : null,
    tsa: attested.length > 0 ? attested[0].tsa : null,
    tokens: results,
  };
}
