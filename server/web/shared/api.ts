// The one way a browser app of ours calls the API: JSON in and out, no cache, and every refusal as
// an ApiError carrying the server's stable code and message (status 0: no answer at all). Who the
// caller is (a session cookie, a device token) and what a 401 means is each app's own business.

/** A refusal from the server (status ≥ 400) or no answer at all (status 0: offline, cut off). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The refusal's whole JSON body, for fields beside the error's own (e.g. `orderIds`). */
    readonly body?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface ApiCall {
  /** Sent as JSON when present. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Sees every answer, refusals included (the packer app reads the server's clock from it). */
  onAnswer?: (response: Response, sentAt: number) => void;
}

export async function callApi<T>(method: string, path: string, { body, headers = {}, signal, onAnswer }: ApiCall = {}): Promise<T> {
  const allHeaders: Record<string, string> = { accept: 'application/json', ...headers };
  if (body !== undefined) allHeaders['content-type'] = 'application/json';
  const sentAt = Date.now();
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: allHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'No connection to the server.');
  }
  onAnswer?.(response, sentAt);
  const text = await response.text().catch(() => '');
  let json: { code?: unknown; message?: unknown } | undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const code = typeof json?.code === 'string' ? json.code : `HTTP_${response.status}`;
    // Our server always answers JSON; a proxy in between may not, and its words are better than none.
    const message = typeof json?.message === 'string' ? json.message : text.slice(0, 200) || response.statusText;
    throw new ApiError(response.status, code, message, json && typeof json === 'object' ? (json as Record<string, unknown>) : undefined);
  }
  return json as T;
}
