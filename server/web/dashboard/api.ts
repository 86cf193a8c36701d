// The dashboard's one way to the API: same-origin fetch with the session cookie, JSON in and out,
// and errors as ApiError carrying the server's stable code and message. A 401 on a signed-in call
// means the session ended; the app is told once, and shows the sign-in screen with a notice.
import type { Static } from '@sinclair/typebox';
import type { DeviceSchema, OrderSchema, OrderSummarySchema, ShopSchema, UserSchema } from '../../routes/schemas';

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

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let sessionEnded: () => void = () => {};
/** What to do when a signed-in call answers 401 (the session expired or was revoked). */
export const onSessionEnded = (handler: () => void) => {
  sessionEnded = handler;
};

/** Calls that answer 401 for a wrong password rather than an ended session. */
const SIGN_IN_CALLS = new Set(['/sessions', '/setup']);

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '');
  }
  if (response.status === 204) return undefined as T;
  const json = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = new ApiError(response.status, json?.code ?? 'HTTP_' + response.status, json?.message ?? response.statusText);
    if (response.status === 401 && !SIGN_IN_CALLS.has(path)) sessionEnded();
    throw error;
  }
  return json as T;
}

export const mediaUrl = (id: string, variant: 'thumbnail' | 'original' | 'playback') => `/api/v1/media/${encodeURIComponent(id)}/${variant}`;
