// A real RFC 3161 time-stamping authority for tests, made with Debian's `openssl`: a CA, a TSA
// certificate it issues with the critical timeStamping extended key usage, and a tiny HTTP server
// that hands each time-stamp query to `openssl ts -reply` (openssl has no server mode of its own).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './server';

const run = promisify(execFile);

export interface TsaAuthority {
  dir: string;
  /** The root the reader trusts: `openssl ts -verify -CAfile`. */
  caFile: string;
  /** The TSA's own certificate: `openssl ts -verify -untrusted`. */
  tsaCertFile: string;
  /** The subject of the TSA certificate, as a verifier names it. */
  tsaCommonName: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

/**
 * Makes the CA, the TSA key and certificate, and the `openssl ts` configuration, in a new folder.
 * `digests`: the hash algorithms the authority accepts (one without sha256 refuses our queries).
 */
export function createTsaAuthority(name = 'Packtrail Test TSA', { digests = 'sha256, sha384, sha512' } = {}): TsaAuthority {
  const dir = tempDir('packtrail-tsa-');
  fs.writeFileSync(
    path.join(dir, 'tsa-ext.cnf'),
    [
      'basicConstraints = critical, CA:false',
      'keyUsage = critical, digitalSignature, nonRepudiation',
      // RFC 3161 2.3: the TSA's certificate carries this one purpose, marked critical.
      'extendedKeyUsage = critical, timeStamping',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      '',
    ].join('\n'),
  );
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '3650', '-subj', '/O=Packtrail Tests/CN=Packtrail Test Root CA', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', `/O=Packtrail Tests/CN=${name}`], dir);
  openssl(['x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tsa.pem', '-days', '3650', '-sha256', '-extfile', 'tsa-ext.cnf'], dir);
  fs.writeFileSync(path.join(dir, 'tsaserial'), '01\n');
  fs.writeFileSync(
    path.join(dir, 'ts.cnf'),
    [
      'oid_section = oids',
      '[ oids ]',
      'test_policy = 1.3.6.1.4.1.55555.1.1',
      '[ tsa ]',
      'default_tsa = test_tsa',
      '[ test_tsa ]',
      `dir = ${dir}`,
      'serial = $dir/tsaserial',
      'crypto_device = builtin',
      'signer_cert = $dir/tsa.pem',
      // The chain travels in each token, as many public authorities do.
      'certs = $dir/ca.pem',
      'signer_key = $dir/tsa.key',
      'signer_digest = sha256',
      'default_policy = test_policy',
      `digests = ${digests}`,
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = yes',
      'ess_cert_id_chain = no',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  return { dir, caFile: path.join(dir, 'ca.pem'), tsaCertFile: path.join(dir, 'tsa.pem'), tsaCommonName: name };
}

export interface TsaServer {
  /** The URL to set as TSA_URL. */
  url: string;
  /** Every reply sent so far, as sent. */
  readonly replies: Buffer[];
  /** While set, every query is answered with this body instead (a replayed or forged reply). */
  setReplay(body: Buffer | undefined): void;
  /** Time-stamp queries answered with a token so far. */
  readonly granted: number;
  /** While down, every query is answered 503 as an overloaded or broken authority would. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** Serves `authority` over HTTP on 127.0.0.1: POST application/timestamp-query → application/timestamp-reply. */
export async function startTsaServer(authority: TsaAuthority): Promise<TsaServer> {
  let down = false;
  let granted = 0;
  let replay: Buffer | undefined;
  const replies: Buffer[] = [];
  let counter = 0;
  // openssl increments the serial file in place; one reply at a time keeps it consistent.
  let queue = Promise.resolve();
  const reply = (query: Buffer): Promise<Buffer> => {
    const result = queue.then(async () => {
      const stem = path.join(authority.dir, `query-${++counter}`);
      fs.writeFileSync(`${stem}.tsq`, query);
      await run('openssl', ['ts', '-reply', '-config', path.join(authority.dir, 'ts.cnf'), '-queryfile', `${stem}.tsq`, '-out', `${stem}.tsr`]);
      return fs.readFileSync(`${stem}.tsr`);
    });
    queue = result.then(() => undefined, () => undefined);
    return result;
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (down) {
        response.writeHead(503, { 'content-type': 'text/plain' }).end('time-stamping is down for maintenance\n');
        return;
      }
      if (request.method !== 'POST' || request.headers['content-type'] !== 'application/timestamp-query') {
        response.writeHead(415, { 'content-type': 'text/plain' }).end('POST an application/timestamp-query\n');
        return;
      }
      if (replay) {
        response.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': replay.length }).end(replay);
        return;
      }
      reply(Buffer.concat(chunks)).then(
        (body) => {
          granted++;
          replies.push(body);
          response.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': body.length }).end(body);
        },
        (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/tsr`,
    get granted() {
      return granted;
    },
    replies,
    setReplay(body) {
      replay = body;
    },
    setDown(value) {
      down = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `openssl ts -verify` of a DER token over `dataFile`, trusting only the test CA: its output, or throws with openssl's words. */
export function opensslVerifyToken(authority: TsaAuthority, dataFile: string, tokenFile: string): string {
  return execFileSync(
    'openssl',
    ['ts', '-verify', '-data', dataFile, '-in', tokenFile, '-token_in', '-CAfile', authority.caFile, '-untrusted', authority.tsaCertFile],
    { encoding: 'utf8', stdio: 'pipe' },
  );
}
