// JSON calls to /api/v1 with the device token: the shared client core (shared.js, made from
// server/web/shared: JSON in and out, refusals as ApiError with the server's stable code, status 0
// for no answer) plus what only a phone needs: its token (kept here, in localStorage), the server's
// clock, and being told when the server no longer knows the token.
import { ApiError, callApi } from './shared.js';

export { ApiError };

const TOKEN_KEY = 'packtrail.token';
const DEVICE_KEY = 'packtrail.device';

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
  try {
    return await callApi(method, path, { body: json, headers: allHeaders, signal, onAnswer: noteServerTime });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && auth) unauthorizedHandler();
    throw error;
  }
}
