// HTTPS material: the operator's certificate, or a self-signed one made once and kept in DATA_DIR,
// because phones give camera access only to secure origins.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isIP } from 'node:net';
import type { Config } from './config';

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** The names a phone on the shop's network may use to reach this machine. */
function localNames(publicUrl: string): { dns: string[]; ips: string[] } {
  const dns = new Set(['localhost']);
  const ips = new Set(['127.0.0.1', '::1']);
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  (isIP(host) ? ips : dns).add(host);
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) if (!address.internal) ips.add(address.address);
  }
  return { dns: [...dns], ips: [...ips] };
}

async function selfSigned(config: Pick<Config, 'dataDir' | 'publicUrl'>): Promise<TlsMaterial> {
  const dir = path.join(config.dataDir, 'tls');
  const keyFile = path.join(dir, 'self-signed.key.pem');
  const certFile = path.join(dir, 'self-signed.cert.pem');
  if (fs.existsSync(keyFile) && fs.existsSync(certFile)) {
    return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
  }
  const { dns, ips } = localNames(config.publicUrl);
  const notBeforeDate = new Date();
  // selfsigned and its X.509 stack (about 15 MB resident) are imported only on the one start that makes
  // the certificate; every later start reads the files above.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'Packtrail (self-signed)' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    // Phones reject server certificates valid for longer than about 13 months.
    notAfterDate: new Date(notBeforeDate.getTime() + 397 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...dns.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
  fs.writeFileSync(certFile, pems.cert);
  return { key: pems.private, cert: pems.cert };
}

export async function loadTls(config: Pick<Config, 'tls' | 'dataDir' | 'publicUrl'>): Promise<TlsMaterial | undefined> {
  if (config.tls.mode === 'off') return undefined;
  if (config.tls.mode === 'self-signed') return selfSigned(config);
  return { key: fs.readFileSync(config.tls.keyFile, 'utf8'), cert: fs.readFileSync(config.tls.certFile, 'utf8') };
}
