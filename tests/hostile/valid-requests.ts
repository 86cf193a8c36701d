// How to call each operation properly: path parameters that point at real resources, a body the
// schema accepts, the protocol headers tus needs. A hostile case then changes one thing (the caller,
// a field, a header) so that whatever the service does differently is down to that one thing.
import fs from 'node:fs';
import { fixture } from '../helpers/server';
import { bearer, tusMetadata, type HostileEnv, type Principal } from './fixtures';
import { example, type JsonSchema, type Operation } from './generate';
import type { HostileRequest } from './http';

export type Prepared = Pick<HostileRequest, 'path' | 'headers' | 'body'>;

const pdf = fs.readFileSync(fixture('document.pdf'));
const png = fs.readFileSync(fixture('photo.png'));

/** Per operation, the base body made valid in meaning as well as in form (the schema alone cannot say which order exists). */
export function baseBody(env: HostileEnv, op: Operation, orderId = env.world.orderId): Record<string, unknown> {
  const body = example(op.body as JsonSchema) as Record<string, unknown>;
  switch (op.key) {
    case 'POST /api/v1/setup':
      return { ...body, timezone: 'Asia/Seoul' };
    case 'POST /api/v1/captures':
      return { ...body, orderId, kind: 'packing', outcome: undefined };
    case 'POST /api/v1/disputes':
      return { ...body, orderId, reason: 'damaged', counterparty: 'courier' };
    case 'PATCH /api/v1/disputes/{id}':
      // Still a damage claim against the courier, so the claim packet stays exportable.
      return { ...body, reason: 'damaged', counterparty: 'courier' };
    case 'POST /api/v1/disputes/{id}/evidence':
      return { mediaId: env.world.media.pdf, caption: 'hostile caption' };
    case 'POST /api/v1/disputes/{id}/shares':
      return { expiresInHours: 1 };
    case 'PATCH /api/v1/captures/{id}':
      return { ...body, outcome: undefined };
    case 'PUT /api/v1/reply-templates/{reason}/{stage}/{lang}':
      return { body: 'Dear {buyerName}, about order {orderId}.' };
    default:
      return body;
  }
}

/** A multipart body with one file part, as a browser form sends it. */
export function multipart(files: { name: string; bytes: Buffer; field?: string; type?: string }[], fields: Record<string, string> = {}) {
  const boundary = `----hostile${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="`),
      Buffer.from(file.name, 'utf8'),
      Buffer.from(`"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The value of a path parameter; resources a call uses up (revoke, finish, delete) are fresh each time. */
async function paramValue(env: HostileEnv, op: Operation, name: string, principal: Principal): Promise<string> {
  const { world, spare } = env;
  const collection = /^\/(?:api\/v1\/)?([^/]+)/.exec(op.path)?.[1];
  if (name === 'token') return world.share.token;
  if (name === 'mediaId') return op.path.endsWith('/playback') && world.media.video ? world.media.video : world.media.photo;
  if (name === 'orderId') return world.orderId;
  // The world's order holds this waybill (fixtures.ts).
  if (name === 'trackingNumber') return 'HOSTILE-T1';
  // A reply template's address: a reason, a stage and a language of the vocabulary.
  if (name === 'reason') return 'item_missing';
  if (name === 'stage') return 'first_reply';
  if (name === 'lang') return 'en';
  // A SKU, a box size and an import mapping's channel: made or read by name, so any name will do.
  if (name === 'sku') return 'HOSTILE-SKU-1';
  if (name === 'code') return 'HOSTILE-BOX';
  if (name === 'channel') return 'custom';
  // A recipient packet: any recipient builds for any dispute; Stripe's has no video to re-encode.
  if (name === 'recipient') return 'stripe';
  if (name === 'evidenceId') return spare.evidence();
  if (name === 'shareId') return (await spare.share()).id;
  if (name === 'id') {
    switch (collection) {
      case 'devices':
        return (await spare.device()).id;
      case 'users':
        // A fresh user each time: a case may disable it or change its role.
        return (await spare.user('seller')).id;
      case 'disputes':
        return world.disputeId;
      case 'orders':
        // An import preview (/orders/imports/{id}): none by this ID, so an allowed caller gets 404.
        return '00000000-0000-4000-8000-000000000000';
      case 'captures':
        // Only a capture's starter (or staff) may change it: a caller acts on one it started itself.
        if (op.path.endsWith('/finish')) return spare.capture(undefined, actingToken(env, principal));
        return op.method === 'GET' || op.method === 'HEAD' ? world.captureId : ownCapture(env, principal);
      case 'media':
        // A photo's tags are changed by its capture's starter (or staff): a caller tags a photo of its own.
        if (op.path.endsWith('/tags')) return ownPhoto(env, principal);
        return op.path.endsWith('/playback') && world.media.video ? world.media.video : world.media.photo;
      case 'uploads':
        // The caller's own upload when it may have one; otherwise the owner's, which it must not reach.
        return spare.upload(actingToken(env, principal));
    }
  }
  throw new Error(`no fixture for the path parameter "${name}" of ${op.key}: teach valid-requests.ts about it`);
}

/** The token a resource the caller acts on is made with: its own when it may have one, else the owner's (which it must not reach). */
const actingToken = (env: HostileEnv, principal: Principal): string => (principal.role && principal.token ? principal.token : env.principals.owner.token!);

/** The capture a change by `principal` aims at: one it started itself, or the owner's for callers that may not start any. */
function ownCapture(env: HostileEnv, principal: Principal): Promise<string> {
  return env.spare.ownCapture(actingToken(env, principal));
}

/** A photo in the capture the caller started, uploaded once per caller. */
const ownPhotos = new Map<string, Promise<string>>();
function ownPhoto(env: HostileEnv, principal: Principal): Promise<string> {
  const token = actingToken(env, principal);
  let photo = ownPhotos.get(token);
  if (!photo) {
    photo = ownCapture(env, principal).then(async (captureId) => {
      const form = new FormData();
      form.append('file', new Blob([png]), 'own.png');
      const answer = await env.call<{ media: { id: string }[] }>('POST', `/api/v1/captures/${captureId}/media`, { token, body: form });
      return answer.media[0].id;
    });
    ownPhotos.set(token, photo);
  }
  return photo;
}

export async function pathFor(env: HostileEnv, op: Operation, principal: Principal, override: Record<string, string> = {}): Promise<string> {
  let path = op.path;
  for (const { name } of op.pathParams) {
    const value = override[name] ?? encodeURIComponent(await paramValue(env, op, name, principal));
    path = path.replace(`{${name}}`, value);
  }
  const required = op.query.filter((q) => q.required);
  if (required.length) path += `?${required.map((q) => `${q.name}=${encodeURIComponent(String(example(q.schema, q.name)))}`).join('&')}`;
  return path;
}

/** The principal's token, or a fresh one of the same kind when the call would end it (signing out). */
async function tokenFor(env: HostileEnv, op: Operation, principal: Principal): Promise<Record<string, string>> {
  if (op.key !== 'DELETE /api/v1/sessions/current' || !principal.role) return bearer(principal);
  if (principal.name === 'device') return { authorization: `Bearer ${(await env.spare.device()).token}` };
  return { authorization: `Bearer ${await env.spare.session(principal.role)}` };
}

/** A complete, proper request for `op` as `principal`; `captureId` aims a capture route or a tus creation at that capture instead of the caller's own. */
export async function validRequest(env: HostileEnv, op: Operation, principal: Principal, { captureId }: { captureId?: string } = {}): Promise<Prepared> {
  const path = await pathFor(env, op, principal, captureId && op.path.startsWith('/api/v1/captures/{id}') ? { id: captureId } : {});
  const headers: Record<string, string | number> = await tokenFor(env, op, principal);
  let body: Prepared['body'];
  if (op.body) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(baseBody(env, op));
  } else if (op.multipart) {
    const form = multipart([{ name: 'hostile.pdf', bytes: pdf }]);
    headers['content-type'] = form.contentType;
    body = form.body;
  } else if (op.tus && op.method !== 'OPTIONS') {
    headers['tus-resumable'] = '1.0.0';
    if (op.method === 'POST') {
      headers['upload-length'] = 1000;
      headers['upload-metadata'] = tusMetadata({ captureId: captureId ?? (await ownCapture(env, principal)), filename: 'hostile.pdf' });
    }
    if (op.method === 'PATCH') {
      headers['upload-offset'] = 0;
      headers['content-type'] = 'application/offset+octet-stream';
      body = pdf.subarray(0, 4);
    }
  }
  return { path, headers, body };
}
