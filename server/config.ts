// Environment → validated, typed, frozen Config. Nothing else reads process.env.
import fs from 'node:fs';
import path from 'node:path';

export type TlsConfig =
  | { mode: 'off' }
  | { mode: 'self-signed' }
  | { mode: 'files'; certFile: string; keyFile: string };

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string;
  /** HTTPS served by the service itself: phones allow the camera only on secure origins. */
  tls: TlsConfig;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest original accepted, per media type; a video of a long packing shift is normal. */
  maxBytes: { photo: number; video: number; audio: number; document: number };
  /** Decoding bound for images: a 100-kilobyte PNG can claim billions of pixels. */
  maxImagePixels: number;
  /** Uploads are refused with 507 before the disk is this close to full. */
  minFreeDiskBytes: number;
  mediaWorkers: number;
  /** Threads that answer order searches, each with its own read-only connection; 0 searches on the main thread. */
  searchWorkers: number;
  sessionTtlHours: number;
  pairingCodeTtlMinutes: number;
  loginAttemptsPerMinute: number;
  /** A resumable upload not finished within this time is removed, freeing its disk space. */
  uploadExpiryHours: number;
  /** Resumable uploads one device or user may have open at once: each reserves disk space for its declared length. */
  maxUnfinishedUploads: number;
  /** Behind a reverse proxy: trust its X-Forwarded-For, so each client is told apart (sign-in limits). */
  trustProxy: boolean;
  /** Originals re-hashed per hourly integrity scrub: the whole archive is covered over time, not at once. */
  scrubBatchSize: number;
  /**
   * An RFC 3161 time-stamping authority (its HTTP address) that attests each signed checkpoint, so the
   * times in evidence do not rest on the shop's own clock alone. Undefined: none is asked.
   */
  tsaUrl: string | undefined;
  /** Where originals are kept (storage/blobs/open-stores.ts): this machine's disk, or S3-compatible object storage. */
  blobStore: 'local' | 's3';
}

export class ConfigError extends Error {}

const KIB = 1024;
const units: Record<string, number> = { '': 1, b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, kib: KIB, mib: KIB ** 2, gib: KIB ** 3 };

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Accepts plain bytes or a size with a unit ("4GiB", "500 MB"). */
function byteSize(env: Env, name: string, fallback: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw);
  const factor = match && Object.hasOwn(units, match[2].toLowerCase()) ? units[match[2].toLowerCase()] : undefined;
  if (!match || factor === undefined) throw new ConfigError(`${name} must be a size such as 500MiB or 4GiB, got "${raw}"`);
  return Math.floor(Number(match[1]) * factor);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!allowed.includes(raw as T)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function httpUrl(env: Env, name: string, fallback?: string): URL | undefined {
  const raw = read(env, name) ?? fallback;
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http or https URL, got "${raw}"`);
  }
  return parsed;
}

/** The service's own base URL, without a trailing slash: paths are appended to it. */
function url(env: Env, name: string, fallback: string): string {
  return httpUrl(env, name, fallback)!.href.replace(/\/$/, '');
}

function tls(env: Env): TlsConfig {
  const certFile = read(env, 'TLS_CERT_FILE');
  const keyFile = read(env, 'TLS_KEY_FILE');
  const selfSigned = oneOf(env, 'TLS_SELF_SIGNED', ['true', 'false'] as const, 'false') === 'true';
  if (certFile || keyFile) {
    if (!certFile || !keyFile) throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE go together; set both or neither');
    if (selfSigned) throw new ConfigError('TLS_SELF_SIGNED=true cannot be combined with TLS_CERT_FILE/TLS_KEY_FILE');
    for (const [name, file] of [['TLS_CERT_FILE', certFile], ['TLS_KEY_FILE', keyFile]]) {
      if (!fs.existsSync(file)) throw new ConfigError(`${name} points to ${file}, which does not exist`);
    }
    return { mode: 'files', certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) };
  }
  return selfSigned ? { mode: 'self-signed' } : { mode: 'off' };
}

/** A host no other machine reaches (PUBLIC_URL's default is one): links and names need a better one. */
export function isLoopbackHost(hostname: string): boolean {
  return /^(localhost|127(\.\d+){3}|\[::1\])$/i.test(hostname);
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env): Readonly<Config> {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const config: Config = {
    port,
    host: read(env, 'HOST') ?? '0.0.0.0',
    dataDir: path.resolve(read(env, 'DATA_DIR') ?? './data'),
    tls: tls(env),
    publicUrl: '',
    logLevel: oneOf(env, 'LOG_LEVEL', logLevels, 'info'),
    maxBytes: {
      photo: byteSize(env, 'MAX_PHOTO_BYTES', 100 * KIB ** 2),
      video: byteSize(env, 'MAX_VIDEO_BYTES', 4 * KIB ** 3),
      audio: byteSize(env, 'MAX_AUDIO_BYTES', 1 * KIB ** 3),
      document: byteSize(env, 'MAX_DOCUMENT_BYTES', 100 * KIB ** 2),
    },
    maxImagePixels: integer(env, 'MAX_IMAGE_PIXELS', 200_000_000, 1, 2 ** 32),
    minFreeDiskBytes: byteSize(env, 'MIN_FREE_DISK_BYTES', 512 * KIB ** 2),
    mediaWorkers: integer(env, 'MEDIA_WORKERS', 2, 1, 64),
    searchWorkers: integer(env, 'SEARCH_WORKERS', 1, 0, 16),
    sessionTtlHours: integer(env, 'SESSION_TTL_HOURS', 24 * 30, 1, 24 * 365),
    pairingCodeTtlMinutes: integer(env, 'PAIRING_CODE_TTL_MINUTES', 15, 1, 24 * 60),
    loginAttemptsPerMinute: integer(env, 'LOGIN_ATTEMPTS_PER_MINUTE', 10, 1, 10_000),
    uploadExpiryHours: integer(env, 'UPLOAD_EXPIRY_HOURS', 72, 1, 24 * 365),
    maxUnfinishedUploads: integer(env, 'MAX_UNFINISHED_UPLOADS', 20, 1, 10_000),
    trustProxy: oneOf(env, 'TRUST_PROXY', ['true', 'false'] as const, 'false') === 'true',
    scrubBatchSize: integer(env, 'SCRUB_BATCH_SIZE', 200, 1, 1_000_000),
    // Used exactly as given: an authority's address is its own, trailing slash and all.
    tsaUrl: httpUrl(env, 'TSA_URL')?.href,
    blobStore: oneOf(env, 'BLOB_STORE', ['local', 's3'] as const, 'local'),
  };
  config.publicUrl = url(env, 'PUBLIC_URL', `${config.tls.mode === 'off' ? 'http' : 'https'}://localhost:${port}`);
  for (const [type, limit] of Object.entries(config.maxBytes)) {
    if (limit < 1) throw new ConfigError(`the size limit for ${type} uploads must be at least 1 byte`);
  }
  return Object.freeze(config);
}
