// The hostile suite's world: a real server (real port, real SQLite file and disk in a temp dir), a
// shop with every kind of caller, and evidence to aim at. Every class of cases starts one of these.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { buildApp, type App } from '../../server/app';
import { loadConfig } from '../../server/config';
import { fixture, tempDir } from '../helpers/server';
import { example, nextSerial, operationsFrom, strongPassphrase, type JsonSchema, type OpenApiDocument, type Operation } from './generate';
import { createClient, type Client, type HostileResponse } from './http';
import { recordedRoutes, type RecordedRoute } from './route-table';

export type Role = 'owner' | 'seller' | 'packer';

export const principalNames = [
  'owner',
  'seller',
  'packer',
  'device',
  'revoked-device',
  'signed-out',
  'garbage-token',
  'anonymous',
  'share-token',
] as const;
export type PrincipalName = (typeof principalNames)[number];

export interface Principal {
  name: PrincipalName;
  /** Undefined for callers that must not authenticate at all. */
  role?: Role;
  token?: string;
  /** The user or device id, as custody events name it. */
  id?: string;
}

/** The callers that may start a capture, and so each have one of their own in the world. */
export const capturingNames = ['owner', 'seller', 'packer', 'device'] as const;
export type CapturingName = (typeof capturingNames)[number];

export interface World {
  orderId: string;
  /** Open; the owner's; holds the evidence media. */
  captureId: string;
  /**
   * An open capture each caller started itself: only its starter (or staff) may change it, add files
   * to it or finish it, so a case that means to get through acts on the caller's own.
   */
  captures: Record<CapturingName, string>;
  media: { pdf: string; photo: string; video?: string };
  disputeId: string;
  share: { id: string; token: string };
  ownerPassword: string;
}

export interface Answered {
  method: string;
  path: string;
  principal: string;
  variant: string;
  res: HostileResponse;
  /** The share page answers its errors as HTML pages, by design. */
  htmlErrors?: boolean;
}

export interface HostileEnv {
  cls: string;
  url: string;
  port: number;
  dataDir: string;
  app: App;
  client: Client;
  doc: OpenApiDocument;
  routes: RecordedRoute[];
  operations: Operation[];
  principals: Record<PrincipalName, Principal>;
  world: World;
  /** tus uploads not yet finished or cancelled: the only files allowed to stay in uploads/. */
  liveUploads: Set<string>;
  /** The token that made each upload, so whoever cleans up cancels it as its owner. */
  uploadTokens: Map<string, string>;
  /**
   * Cancels an upload as its owner once a case is done with it (DELETE, as a client does): each device
   * and user may keep only MAX_UNFINISHED_UPLOADS unfinished, so cases must not hoard them. Returns the
   * answer, or nothing when the upload is not one this run made.
   */
  cancelUpload(id: string): Promise<HostileResponse | undefined>;
  /** Every answer the cases got, for the checks after the run. */
  answers: Answered[];
  /** Case and failure counts so far. */
  counts: { cases: number; failures: number };
  /** A JSON call for setting things up; throws unless the answer has the expected status. */
  call<T = Record<string, unknown>>(method: string, path: string, options?: CallOptions): Promise<T>;
  spare: Spares;
  close(): Promise<void>;
}

interface CallOptions {
  token?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  expect?: number;
}

/** Fresh resources for cases that use one up (revoke, finish, delete, sign out). */
export interface Spares {
  device(): Promise<{ id: string; token: string }>;
  /** A fresh open capture, started by the token's caller (the owner by default). */
  capture(orderId?: string, token?: string): Promise<string>;
  /** An open capture the token's caller started: its world capture, or one made once for that token. */
  ownCapture(token: string): Promise<string>;
  share(): Promise<{ id: string; token: string }>;
  evidence(): Promise<string>;
  dispute(orderId?: string): Promise<string>;
  /** A new session for a user of this role (the same user as the principal). */
  session(role: Role): Promise<string>;
  /** A tus upload into `captureId` (by default the caller's own capture), owned by the token's caller; recorded as deliberately live. */
  upload(token: string, options?: { length?: number; captureId?: string; metadata?: Record<string, string> }): Promise<string>;
  /** A user with this role and its own session. */
  user(role: Role): Promise<{ id: string; token: string }>;
}

/** Upload limits small enough that "one byte too large" costs little to send. */
export const limits = { document: 2 * 1024 ** 2, photo: 4 * 1024 ** 2, audio: 4 * 1024 ** 2, video: 16 * 1024 ** 2 } as const;
/** A resumable upload may be as large as the largest type allows. */
export const tusMax = Math.max(...Object.values(limits));
/** Unfinished uploads a device or user may keep at once: the service's default, set here so tests can name it. */
export const maxUnfinishedUploads = 20;

const hostileEnvironment = {
  LOG_LEVEL: 'silent',
  // Sign-in limits would turn the fuzz of the sign-in route into a wall of 429s.
  LOGIN_ATTEMPTS_PER_MINUTE: '10000',
  MAX_PHOTO_BYTES: String(limits.photo),
  MAX_DOCUMENT_BYTES: String(limits.document),
  MAX_AUDIO_BYTES: String(limits.audio),
  MAX_VIDEO_BYTES: String(limits.video),
  // A crowded CI disk must not turn cases into 507s; the free-space rule has tests of its own.
  MIN_FREE_DISK_BYTES: '1MiB',
  MEDIA_WORKERS: '1',
  MAX_UNFINISHED_UPLOADS: String(maxUnfinishedUploads),
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Listens on a port chosen first, so PUBLIC_URL names the real origin (what an Origin check compares with). */
async function listen(env: Record<string, string>): Promise<{ app: App; port: number; dataDir: string }> {
  const dataDir = tempDir('packtrail-hostile-');
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const config = loadConfig({ DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, ...hostileEnvironment, ...env });
    const app = await buildApp(config);
    try {
      await app.listen({ port, host: '127.0.0.1' });
      return { app, port, dataDir };
    } catch (error) {
      await app.close();
      if (attempt >= 3 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
}

export const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function tusMetadata(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key} ${b64(value)}`)
    .join(',');
}

export const uploadIdFrom = (location: string | null | undefined) => /\/uploads\/([0-9a-f]{32})/.exec(location ?? '')?.[1];

/** Starts a server and sets up the shop, its callers and evidence. `video` adds a clip and waits for its playback copy. */
export async function startHostile(cls: string, options: { video?: boolean; env?: Record<string, string> } = {}): Promise<HostileEnv> {
  const { app, port, dataDir } = await listen(options.env ?? {});
  const url = `http://127.0.0.1:${port}`;
  const client = createClient(url);

  async function call<T>(method: string, path: string, { token, json, body, headers = {}, expect }: CallOptions = {}): Promise<T> {
    const allHeaders: Record<string, string> = { ...headers };
    if (token) allHeaders.authorization = `Bearer ${token}`;
    if (json !== undefined) allHeaders['content-type'] = 'application/json';
    const response = await fetch(url + path, { method, headers: allHeaders, body: json !== undefined ? JSON.stringify(json) : body });
    const text = await response.text();
    const wanted = expect ?? (method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200);
    if (response.status !== wanted) throw new Error(`setting up: ${method} ${path} answered ${response.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  const doc = await call<OpenApiDocument>('GET', '/docs/json');
  const routes = recordedRoutes(app);
  const operations = operationsFrom(doc, routes);
  const bodyOf = (key: string) => operations.find((op) => op.key === key)?.body as JsonSchema;

  // The shop and its people.
  const ownerPassword = strongPassphrase();
  const setup = await call<{ token: string; user: { id: string } }>('POST', '/api/v1/setup', {
    json: { email: 'owner@hostile.example', password: ownerPassword, shopName: 'Hostile Test Shop', timezone: 'Asia/Seoul' },
  });
  const owner = { token: setup.token, id: setup.user.id };
  const passwords = new Map<string, string>();
  const emails = new Map<Role, string>([['owner', 'owner@hostile.example']]);
  passwords.set('owner@hostile.example', ownerPassword);

  async function user(role: Role) {
    const email = `${role}-${nextSerial()}@hostile.example`;
    const password = strongPassphrase();
    passwords.set(email, password);
    const created = await call<{ id: string }>('POST', '/api/v1/users', { token: owner.token, json: { email, password, role } });
    const session = await call<{ token: string }>('POST', '/api/v1/sessions', { json: { email, password }, expect: 200 });
    if (!emails.has(role)) emails.set(role, email);
    return { id: created.id, token: session.token };
  }
  async function session(role: Role) {
    const email = emails.get(role)!;
    return (await call<{ token: string }>('POST', '/api/v1/sessions', { json: { email, password: passwords.get(email) }, expect: 200 })).token;
  }
  const device = async () => call<{ id: string; token: string }>('POST', '/api/v1/devices', { token: owner.token, json: { name: `hostile phone ${nextSerial()}` } });

  const seller = await user('seller');
  const packer = await user('packer');
  const activeDevice = await device();
  const revoked = await device();
  await call('DELETE', `/api/v1/devices/${revoked.id}`, { token: owner.token });
  const signedOut = await session('seller');
  await call('DELETE', '/api/v1/sessions/current', { token: signedOut });

  // Evidence: an order, a capture with a document, a photo (and a video), a dispute that links them, a share link.
  const orderId = `HOSTILE-ORDER-${nextSerial()}`;
  await call('PUT', `/api/v1/orders/${orderId}`, {
    token: owner.token,
    json: { items: [{ name: 'mug', quantity: 2, unitWeightGrams: 300, unitValue: 12000 }], carrier: 'CJ', trackingNumbers: ['HOSTILE-T1'] },
    expect: 201,
  });
  const capture = async (order = orderId, token = owner.token) => (await call<{ id: string }>('POST', '/api/v1/captures', { token, json: { orderId: order, kind: 'packing' } })).id;
  const captureId = await capture();
  const captures: World['captures'] = {
    owner: captureId,
    seller: await capture(orderId, seller.token),
    packer: await capture(orderId, packer.token),
    device: await capture(orderId, activeDevice.token),
  };
  const upload = async (name: string) => {
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(fixture(name))]), name);
    const answer = await call<{ media: { id: string }[] }>('POST', `/api/v1/captures/${captureId}/media`, { token: owner.token, body: form });
    return answer.media[0].id;
  };
  const media: World['media'] = { pdf: await upload('document.pdf'), photo: await upload('photo.png') };
  if (options.video) media.video = await upload('clip.mp4');

  // A damage claim against the courier, so the claim packet can be exported too.
  const disputeBody = (order: string) => ({
    ...(example(bodyOf('POST /api/v1/disputes')) as object),
    orderId: order,
    reason: 'damaged',
    counterparty: 'courier',
    reference: undefined,
    respondBy: undefined,
  });
  const dispute = async (order = orderId) => (await call<{ id: string }>('POST', '/api/v1/disputes', { token: owner.token, json: disputeBody(order) })).id;
  const disputeId = await dispute();
  for (const mediaId of Object.values(media)) await call('POST', `/api/v1/disputes/${disputeId}/evidence`, { token: owner.token, json: { mediaId } });
  const share = async () => {
    const created = await call<{ id: string; url: string }>('POST', `/api/v1/disputes/${disputeId}/shares`, { token: owner.token, json: { expiresInHours: 24 } });
    return { id: created.id, token: /\/s\/([^/?#]+)/.exec(created.url)![1] };
  };
  const worldShare = await share();

  // Thumbnails and playback copies are made in the background; cases that fetch them need them made.
  const pending = [media.photo, ...(media.video ? [media.video] : [])];
  const deadline = Date.now() + 120_000;
  for (const id of pending) {
    for (;;) {
      const row = await call<{ processingStatus: string; playbackStatus?: string; type: string }>('GET', `/api/v1/media/${id}`, { token: owner.token });
      const done = row.processingStatus !== 'pending' && (row.type !== 'video' || (row.playbackStatus !== undefined && row.playbackStatus !== 'pending'));
      if (done) break;
      if (Date.now() > deadline) throw new Error(`setting up: media ${id} still processing after 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const liveUploads = new Set<string>();
  const uploadTokens = new Map<string, string>();
  async function cancelUpload(id: string): Promise<HostileResponse | undefined> {
    const token = uploadTokens.get(id);
    if (!token) return undefined;
    uploadTokens.delete(id);
    // Whatever the answer, the upload no longer counts as live: if its files stay, the leftover check says so.
    liveUploads.delete(id);
    return client.send({ method: 'DELETE', path: `/api/v1/uploads/${id}`, headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' } });
  }
  // Callers made for one case (a spare device or user) get a capture of their own on first use.
  const starters = { owner, seller, packer, device: activeDevice };
  const ownCaptures = new Map(capturingNames.map((name) => [starters[name].token, Promise.resolve(captures[name])]));
  const spare: Spares = {
    device,
    capture,
    ownCapture(token) {
      let own = ownCaptures.get(token);
      if (!own) ownCaptures.set(token, (own = capture(orderId, token)));
      return own;
    },
    share,
    async evidence() {
      const linked = await call<{ id: string }>('POST', `/api/v1/disputes/${disputeId}/evidence`, { token: owner.token, json: { captureId: await capture() } });
      return linked.id;
    },
    dispute,
    session,
    user,
    async upload(token, { length = 1000, captureId: chosen, metadata = {} } = {}) {
      const into = chosen ?? (await spare.ownCapture(token));
      const answer = await client.send({
        method: 'POST',
        path: '/api/v1/uploads',
        headers: {
          authorization: `Bearer ${token}`,
          'tus-resumable': '1.0.0',
          'upload-length': length,
          'upload-metadata': tusMetadata({ captureId: into, filename: 'hostile.pdf', ...metadata }),
        },
      });
      const id = uploadIdFrom(answer.headers.location);
      if (answer.status !== 201 || !id) throw new Error(`setting up: tus creation answered ${answer.status} ${answer.body.toString('utf8').slice(0, 300)}`);
      liveUploads.add(id);
      uploadTokens.set(id, token);
      return id;
    },
  };

  const principals: Record<PrincipalName, Principal> = {
    owner: { name: 'owner', role: 'owner', token: owner.token, id: owner.id },
    seller: { name: 'seller', role: 'seller', token: seller.token, id: seller.id },
    packer: { name: 'packer', role: 'packer', token: packer.token, id: packer.id },
    device: { name: 'device', role: 'packer', token: activeDevice.token, id: activeDevice.id },
    'revoked-device': { name: 'revoked-device', token: revoked.token },
    'signed-out': { name: 'signed-out', token: signedOut },
    'garbage-token': { name: 'garbage-token', token: `pts_${randomBytes(32).toString('base64url')}` },
    anonymous: { name: 'anonymous' },
    'share-token': { name: 'share-token', token: worldShare.token },
  };

  return {
    cls,
    url,
    port,
    dataDir,
    app,
    client,
    doc,
    routes,
    operations,
    principals,
    world: { orderId, captureId, captures, media, disputeId, share: worldShare, ownerPassword },
    liveUploads,
    uploadTokens,
    cancelUpload,
    answers: [],
    counts: { cases: 0, failures: 0 },
    call,
    spare,
    async close() {
      client.close();
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const bearer = (principal: Principal): Record<string, string> => (principal.token ? { authorization: `Bearer ${principal.token}` } : {});
