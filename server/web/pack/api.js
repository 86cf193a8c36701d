// JSON calls to /api/v1 with the device token; the token itself lives here (localStorage).

const TOKEN_KEY = 'packtrail.token';
const DEVICE_KEY = 'packtrail.device';

/** A refusal from the server (status ≥ 400) or no answer at all (status 0: offline, cut off). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const getToken = () => localStorage.getItem(TOKEN_KEY);
export const getDevice = () => JSON.parse(localStorage.getItem(DEVICE_KEY) ?? 'null');

export function saveSession(token, device) {
  localStorage.setItem(TOKEN_KEY, token);
  localStorage.setItem(DEVICE_KEY, JSON.stringify(device));
}

export function forgetSession() {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(DEVICE_KEY);
}

/**
 * Device clock minus server clock, from the Date header of answers. Only a clearly wrong phone
 * clock (off by more than a couple of seconds) is corrected; the header has whole-second precision.
 */
let clockSkewMs = 0;
export const serverNow = () => new Date(Date.now() - clockSkewMs);

function noteServerTime(response, sentAt) {
  const header = response.headers.get('date');
  if (!header) return;
  const receivedAt = Date.now();
  const skew = (sentAt + receivedAt) / 2 - (Date.parse(header) + 500);
  clockSkewMs = Math.abs(skew) > 2000 ? skew : 0;
}

let unauthorizedHandler = () => {};
/** Called whenever the server no longer knows the token (device revoked, or never paired). */
export const onUnauthorized = (handler) => (unauthorizedHandler = handler);

export async function api(method, path, { json, headers = {}, auth = true, signal } = {}) {
  const allHeaders = { ...headers };
  const token = getToken();
  if (auth && token) allHeaders.Authorization = `Bearer ${token}`;
  if (json !== undefined) allHeaders['Content-Type'] = 'application/json';
  const sentAt = Date.now();
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: allHeaders,
      body: json === undefined ? undefined : JSON.stringify(json),
      cache: 'no-store',
      signal,
    });
  } catch {
    throw new ApiError(0, 'OFFLINE', 'No connection to the server.');
  }
  noteServerTime(response, sentAt);
  const text = await response.text().catch(() => '');
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    if (response.status === 401 && auth) unauthorizedHandler();
    throw new ApiError(response.status, body?.code ?? `HTTP_${response.status}`, body?.message ?? (text.slice(0, 200) || response.statusText));
  }
  return body;
}
