// The browser apps, through one mechanism: the packer app at /pack (plain ES modules from
// server/web/pack, plus modules the server makes for it: vocabulary, translations and the shared
// client core, server/web/app-modules.ts), the seller dashboard at / (bundled by
// server/web/dashboard/build.ts). Files on disk and files made in memory are all served alike:
// gzipped once and revalidated by ETag. The barcode library comes straight from node_modules.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors';
import { projectPath } from '../paths';
import { packAppModules, type MadeFiles } from '../web/app-modules';
import { buildDashboard } from '../web/dashboard/build';
import { dashboardScreens } from '../web/dashboard/screens';

const packDir = projectPath('server', 'web', 'pack');
/** The app's mark, as the site's icon for every page (browsers ask for /favicon.ico on their own). */
const favicon = path.join(packDir, 'icons', 'icon.svg');
const serviceWorkerFile = path.join(packDir, 'sw.js');
const dashboardShell = projectPath('server', 'web', 'dashboard', 'index.html');
const require = createRequire(import.meta.url);

/** Library files the app loads, by their path in /pack/; only phones without BarcodeDetector fetch ZXing. */
const vendorFiles: Record<string, string> = {
  'vendor/zxing.min.js': require.resolve('@zxing/library/umd/index.min.js'),
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

function readAsset(file: string): Asset | undefined {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) return undefined;
  const cached = assets.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
  const asset: Asset = { ...encode(path.extname(file), fs.readFileSync(file)), mtimeMs: stat.mtimeMs, size: stat.size };
  assets.set(file, asset);
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

const madeAsset = (name: string, body: Buffer): Asset => ({ ...encode(path.extname(name), body), mtimeMs: 0, size: body.length });

/**
 * Files made in memory (by esbuild, or from the server's own sources), made once on the first
 * request that needs them and encoded once; a failed make is tried again by the next request.
 */
function madeFiles(make: () => Promise<MadeFiles>): () => Promise<Map<string, Asset>> {
  let made: Promise<Map<string, Asset>> | undefined;
  return () =>
    (made ??= make().then(
      (files) => new Map([...files].map(([name, body]) => [name, madeAsset(name, body)])),
      (error: unknown) => {
        made = undefined;
        throw error;
      },
    ));
}

const packMade = madeFiles(packAppModules);
const dashboardMade = madeFiles(buildDashboard);

/** A file of the packer app by its path in /pack/: made in memory, a library, or in its folder. */
async function appAsset(relative: string): Promise<Asset | undefined> {
  const made = (await packMade()).get(relative);
  if (made) return made;
  if (Object.hasOwn(vendorFiles, relative)) return readAsset(vendorFiles[relative]);
  const file = resolveAppFile(relative);
  return file ? readAsset(file) : undefined;
}

/** Every file the app needs to open offline: everything in the folder and made for it, but the worker itself. */
async function shellFiles(): Promise<string[]> {
  const files = fs.readdirSync(packDir, { recursive: true, withFileTypes: true }) as fs.Dirent[];
  return files
    .filter((entry) => entry.isFile() && contentTypes[path.extname(entry.name)] && entry.name !== 'sw.js')
    .map((entry) => path.relative(packDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !file.startsWith('.') && !file.includes('/.'))
    .concat([...(await packMade()).keys()])
    .sort();
}

/** The worker with the shell's file list and version (a hash of those files) filled in; made on every read. */
async function serviceWorker(): Promise<Asset | undefined> {
  const source = readAsset(serviceWorkerFile);
  if (!source) return undefined;
  const files = await shellFiles();
  const version = createHash('sha256');
  for (const name of files) version.update(name).update((await appAsset(name))?.etag ?? '');
  const shell = ['./', ...files.filter((name) => name !== 'index.html')];
  const body = source.body
    .toString('utf8')
    .replace("'__PACKTRAIL_VERSION__'", JSON.stringify(version.digest('hex').slice(0, 16)))
    .replace('__PACKTRAIL_SHELL__', JSON.stringify(shell));
  return madeAsset('sw.js', Buffer.from(body));
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

const notFound = (reply: FastifyReply) => reply.code(404).send(errorBody(404, 'NOT_FOUND', 'No such file.'));

/** Paths that belong to the API, the packer app, share links, the API docs and files: their 404 stays JSON. */
const NOT_DASHBOARD = /^\/(api|pack|s|docs|assets|healthz)(\/|$)/;

/** A person's browser asking for a page (Accept puts text/html before JSON), not a program asking for data. */
function wantsPage(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html !== -1 && (json === -1 || html < json);
}

/**
 * Any other address a person's browser opens (a mistyped /settings/reply-templates) gets the dashboard
 * with status 404, which shows a "Page not found" screen with the way home. Programs, and every path of
 * the API, the packer app, share links and docs, get the JSON 404 as before. Called by the not-found
 * handler rather than routed as "/*", which would catch every GET before the router could refuse an
 * over-long path parameter with 400. Answers true when it sent the page.
 */
export function sendPageNotFound(request: FastifyRequest, reply: FastifyReply): boolean {
  const path = request.url.split('?')[0];
  const asset = request.method === 'GET' && wantsPage(request) && !NOT_DASHBOARD.test(path) ? readAsset(dashboardShell) : undefined;
  if (!asset) return false;
  // Revalidated like the page itself, but never a 304: the status must stay 404.
  void reply.code(404).header('content-type', asset.type).header('cache-control', 'no-cache').send(asset.body);
  return true;
}

export const webRoutes: FastifyPluginAsync = async (app) => {
  app.get('/pack', { config: { allow: 'public' }, schema: { hide: true } }, async (_request, reply) => reply.redirect('/pack/'));

  app.get('/assets/:name', { config: { allow: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const { name } = request.params as { name: string };
    const asset = (await dashboardMade()).get(name);
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

  app.get('/favicon.ico', { config: { allow: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const asset = readAsset(favicon);
    return asset ? send(request, reply, asset) : notFound(reply);
  });

  app.get('/pack/*', { config: { allow: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const relative = (request.params as { '*': string })['*'];
    const asset = resolveAppFile(relative) === serviceWorkerFile ? await serviceWorker() : await appAsset(relative);
    return asset ? send(request, reply, asset) : notFound(reply);
  });
};
