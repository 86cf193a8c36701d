// The dashboard's one way to the API: the shared client core (server/web/shared/api.ts: JSON in and
// out, errors as ApiError with the server's stable code) with the session cookie, and the API's
// types from its own schemas. A 401 on a signed-in call means the session ended; the app is told,
// and shows the sign-in screen with a notice.
import type { Static } from '@sinclair/typebox';
import type { DeviceSchema, OrderSchema, OrderSummarySchema, ShopSchema, UserSchema } from '../../routes/schemas';
import type { PacketRecipient } from '../../domain/vocabulary';
import { ApiError, callApi } from '../shared/api';

export { ApiError };

export type Order = Static<typeof OrderSchema>;
export type OrderSummary = Static<typeof OrderSummarySchema>;
export type Capture = Order['captures'][number];
export type Media = Capture['media'][number];
export type Device = Static<typeof DeviceSchema>;
export type User = Static<typeof UserSchema>;
export type Shop = Static<typeof ShopSchema>;
export interface Me {
  kind: 'user' | 'device';
  id: string;
  name: string;
  role: 'owner' | 'seller' | 'packer';
  shop: Shop;
}
export interface NewDevice extends Device {
  token: string;
  pairingUrl: string;
  pairingExpiresAt: string;
}

/**
 * A recipient's packet as `GET /disputes/:id/packets` lists it (SPEC section 7), written out as
 * routes/packets.routes.ts's PacketSchema says until that schema is exported for the types here.
 */
export interface Packet {
  recipient: PacketRecipient;
  name: string;
  /** Fits this dispute's counterparty and the order's channel or carrier. */
  suggested: boolean;
  downloadUrl: string;
  included: { path: string; role: 'original' | 'derived' | 'document' | 'data'; description: string; bytes: number; evidence?: number; originalSha256?: string }[];
  missing: { code: string; text: string }[];
  /** Sizes in the listing may be estimates; the ZIP's checklist.txt has the exact figures. */
  limits: { code: string; text: string; limit: number; actual: number; unit: 'bytes' | 'pages' | 'seconds' | 'characters' | 'files'; ok: boolean }[];
  deadline: { at: string | null; rule: string; basis: string };
  shareLink?: { url: string; expiresAt: string };
}
export type PacketLimit = Packet['limits'][number];

let sessionEnded: () => void = () => {};
/** What to do when a signed-in call answers 401 (the session expired or was revoked). */
export const onSessionEnded = (handler: () => void) => {
  sessionEnded = handler;
};

/** Calls that answer 401 for a wrong password rather than an ended session. */
const SIGN_IN_CALLS = new Set(['/sessions', '/setup']);

/** A call with the session cookie (sent by the browser on its own, same origin). */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  try {
    return await callApi<T>(method, path, { body });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && !SIGN_IN_CALLS.has(path)) sessionEnded();
    throw error;
  }
}

export const mediaUrl = (id: string, variant: 'thumbnail' | 'original' | 'playback') => `/api/v1/media/${encodeURIComponent(id)}/${variant}`;
