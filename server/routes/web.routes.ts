// The browser apps: the packer app at /pack, plain ES modules from server/web/pack, and the seller
// dashboard at /, bundled by server/web/dashboard/build.ts. Both are served from memory, gzipped
// once and revalidated by ETag; the barcode library comes straight from node_modules.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors';
import { projectPath } from '../paths';
import { packAppModules } from '../web/app-modules';
import { dashboardFiles } from '../web/dashboard/build';
import { dashboardScreens } from '../web/dashboard/screens';

const packDir = projectPath('server', 'web', 'pack');
const dashboardShell = projectPath('server', 'web', 'dashboard', 'index.html');
const require = createRequire(import.meta.url);

/** Library files the app loads, by the name it asks for; only phones without BarcodeDetector fetch ZXing. */
const vendorFiles: Record<string, string> = {
  'zxing.min.js': require.resolve('@zxing/library/umd/index.min.js'),
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
const compressible = new Set(['.html', '.js', '.css', '.webmanifest', '.svg']);

interface Asset {
  body: Buffer;
  gzip?: Buffer;
  etag: string;
  type: string;
  mtimeMs: number;
  size: number;
}

const assets = new Map<string, Asset>();

function readAsset(file: string, transform?: (body: Buffer) => Buffer): Asset | undefined {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) return undefined;
  const cached = assets.get(file);
  // The service worker embeds the other files' version, so it is rebuilt on every read.
  if (cached && !transform && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
  const raw = fs.readFileSync(file);
  const asset: Asset = { ...encode(path.extname(file), transform ? transform(raw) : raw), mtimeMs: stat.mtimeMs, size: stat.size };
  if (!transform) assets.set(file, asset);
  return asset;
}

function encode(extension: string, body: Buffer): Omit<Asset, 'mtimeMs' | 'size'> {
  return {
    body,
    gzip: compressible.has(extension) && body.length > 512 ? gzipSync(body, { level: 9 }) : undefined,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    type: contentTypes[extension] ?? 'application/octet-stream',
  };
}

/** Modules made from the server's TypeScript sources (vocabulary, translations), served as files of the app. */
const generated = new Map<string, Asset>(
  Object.entries(packAppModules()).map(([name, text]) => {
    const body = Buffer.from(text);
    return [name, { ...encode(path.extname(name), body), mtimeMs: 0, size: body.length }];
  }),
);

const appAsset = (relative: string) => generated.get(relative) ?? readAsset(path.join(packDir, relative));

/** Every file the app needs to open offline: everything in the folder but the worker itself. */
function shellFiles(): string[] {
  const files = fs.readdirSync(packDir, { recursive: true, withFileTypes: true }) as fs.Dirent[];
  return files
    .filter((entry) => entry.isFile() && contentTypes[path.extname(entry.name)] && entry.name !== 'sw.js')
    .map((entry) => path.relative(packDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !file.startsWith('.') && !file.includes('/.'))
    .concat([...generated.keys()])
    .sort();
}

function serviceWorker(body: Buffer): Buffer {
  const files = shellFiles();
  const version = createHash('sha256');
  for (const file of files) version.update(file).update(appAsset(file)?.etag ?? '');
  const shell = ['./', ...files.filter((file) => file !== 'index.html')];
  return Buffer.from(
    body
      .toString('utf8')
      .replace("'__PACKTRAIL_VERSION__'", JSON.stringify(version.digest('hex').slice(0, 16)))
      .replace('__PACKTRAIL_SHELL__', JSON.stringify(shell)),
  );
}

/** The app's files are named with these characters only; anything else (a NUL, a backslash) is no file of ours. */
const APP_FILE_NAME = /^[A-Za-z0-9._/-]*$/;
/**
 * No file of ours has a longer path. Longer names would reach the file system only to fail there
 * (ENAMETOOLONG past 255 bytes a name, 4096 a path), which must read as "no such file", not a crash.
 */
const MAX_APP_FILE_PATH = 200;

/** Only plain files inside the app folder with a known type; no dotfiles, no way out. */
function resolveAppFile(relative: string): string | undefined {
  if (relative.length > MAX_APP_FILE_PATH || !APP_FILE_NAME.test(relative)) return undefined;
  const normalized = path.posix.normalize(`/${relative}`).slice(1) || 'index.html';
  if (normalized.split('/').some((part) => part.startsWith('.') || part === '')) return undefined;
  if (!contentTypes[path.extname(normalized)]) return undefined;
  const file = path.join(packDir, normalized);
  return file.startsWith(packDir + path.sep) ? file : undefined;
}

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset) {
  reply.header('content-type', asset.type).header('etag', asset.etag).header('vary', 'accept-encoding');
  // Always revalidated (a 304 costs a few bytes): the service worker keeps the offline copy.
  reply.header('cache-control', 'no-cache');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (asset.gzip && acceptsGzip) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}

/** The dashboard's built files, encoded once per build. */
let dashboardAssets: Promise<Map<string, Asset>> | undefined;
function dashboardAsset(name: string): Promise<Asset | undefined> {
  dashboardAssets ??= dashboardFiles().then(
    (files) => new Map([...files].map(([file, body]) => [file, { ...encode(path.extname(file), body), mtimeMs: 0, size: body.length }])),
    (error: unknown) => {
      dashboardAssets = undefined;
      throw error;
    },
  );
  return dashboardAssets.then((files) => files.get(name));
}

const notFound = (reply: FastifyReply) => reply.code(404).send(errorBody(404, 'NOT_FOUND', 'No such file.'));

export const webRoutes: FastifyPluginAsync = async (app) => {
  app.get('/pack', { config: { allow: 'public' }, schema: { hide: true } }, async (_request, reply) => reply.redirect('/pack/'));

  app.get('/assets/:name', { config: { allow: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const asset = await dashboardAsset((request.params as { name: string }).name);
    return asset ? send(request, reply, asset) : notFound(reply);
  });

  // The dashboard's screens have addresses of their own (/orders/…): a reload or a pasted link gets
  // the same page, which then shows the screen the address names. Other paths stay 404.
  for (const screen of Object.values(dashboardScreens)) {
    app.get(screen, { config: { allow: 'public' }, schema: { hide: true } }, async (request, reply) => {
      const asset = readAsset(dashboardShell);
      return asset ? send(request, reply, asset) : notFound(reply);
    });
  }

  app.get('/pack/vendor/:name', { config: { allow: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const { name } = request.params as { name: string };
    const file = Object.hasOwn(vendorFiles, name) ? vendorFiles[name] : undefined;
    const asset = file ? readAsset(file) : undefined;
    return asset ? send(request, reply, asset) : notFound(reply);
  });

  app.get('/pack/*', { config: { allow: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const built = generated.get((request.params as { '*': string })['*']);
    if (built) return send(request, reply, built);
    const file = resolveAppFile((request.params as { '*': string })['*']);
    if (!file) return notFound(reply);
    const asset = path.basename(file) === 'sw.js' ? readAsset(file, serviceWorker) : readAsset(file);
    return asset ? send(request, reply, asset) : notFound(reply);
  });
};
