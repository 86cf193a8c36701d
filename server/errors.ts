// Every error the API can answer, declared once: a stable code, its HTTP status and a default message.

export const errorCatalog = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  WEAK_PASSWORD: { status: 400, message: 'This password is too easy to guess; choose another.' },
  /** Order imports (server/services/imports): an empty upload, an unreadable one, one without the order ID column. */
  EMPTY_FILE: { status: 400, message: 'The file is empty.' },
  UNREADABLE_FILE: { status: 400, message: 'The file could not be read as CSV or XLSX.' },
  IMPORT_COLUMNS_NOT_FOUND: { status: 400, message: "The file's header does not have the mapped order ID column." },
  UNAUTHORIZED: { status: 401, message: 'Sign in or send a valid token.' },
  FORBIDDEN: { status: 403, message: 'Your role may not do this.' },
  ACCOUNT_DISABLED: { status: 403, message: 'This account is disabled; ask the shop owner.' },
  CSRF_REJECTED: { status: 403, message: "A change made with the session cookie must come from this service's own pages." },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  REQUEST_TIMEOUT: { status: 408, message: 'The request took too long to arrive.' },
  CONFLICT: { status: 409, message: 'This conflicts with the current state.' },
  /** Several orders hold a scanned tracking number; the answer's `orderIds` lets the person choose. */
  AMBIGUOUS_TRACKING_NUMBER: { status: 409, message: 'Several orders have this tracking number; choose one.' },
  ALREADY_SET_UP: { status: 409, message: 'Packtrail is already set up; sign in instead.' },
  /** The evidence log takes its name at setup, so nothing is signed before it. */
  NOT_SET_UP: { status: 409, message: 'Packtrail is not set up yet.' },
  /** An owner may not disable or demote themself: another owner can, so nobody locks themself out by a slip. */
  CANNOT_CHANGE_OWN_ACCESS: { status: 409, message: 'You cannot disable your own account or give up your own owner role.' },
  LAST_OWNER: { status: 409, message: 'The shop must keep at least one active owner.' },
  CAPTURE_FINISHED: { status: 409, message: 'The capture is finished and can no longer change.' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: 'This Idempotency-Key was used for a different request.' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: 'A request with this Idempotency-Key is still being processed; retry shortly.' },
  /** An import preview is committed once; a second commit changes nothing. */
  ALREADY_COMMITTED: { status: 409, message: 'This import was committed already.' },
  GONE: { status: 410, message: 'This link has expired or was revoked.' },
  IMPORT_EXPIRED: { status: 410, message: 'This import preview has expired; upload the file again.' },
  TUS_VERSION_REQUIRED: { status: 412, message: 'Resumable uploads need the header Tus-Resumable: 1.0.0.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The upload is larger than allowed.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This type of file is not accepted.' },
  RANGE_NOT_SATISFIABLE: { status: 416, message: 'The requested range is outside the file.' },
  UNPROCESSABLE_MEDIA: { status: 422, message: 'The file could not be read as the type it claims to be.' },
  IMAGE_TOO_LARGE: { status: 422, message: 'The image has more pixels than allowed.' },
  TOO_MANY_REQUESTS: { status: 429, message: 'Too many attempts; wait a minute and try again.' },
  /** Resumable uploads started but neither finished nor cancelled, per device or user (MAX_UNFINISHED_UPLOADS). */
  TOO_MANY_UNFINISHED_UPLOADS: { status: 429, message: 'Too many uploads are unfinished; finish or cancel one first.' },
  HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are larger than allowed.' },
  INTERNAL_ERROR: { status: 500, message: 'Something went wrong on the server.' },
  /** A search worker stopped (it is replaced on the next search) or the server is shutting down. */
  SEARCH_UNAVAILABLE: { status: 503, message: 'Search is unavailable for a moment; try again.' },
  DATABASE_BUSY: { status: 503, message: 'The database is busy with a large import; nothing was saved. Try again in a moment.' },
  /** The originals' store (an S3 bucket) cannot be reached or refuses to work as configured; nothing was saved. */
  STORAGE_UNAVAILABLE: { status: 503, message: 'The storage for originals is unavailable; nothing was saved. Try again later.' },
  INSUFFICIENT_STORAGE: { status: 507, message: 'The server is out of storage space; nothing was saved.' },
} as const;

export type ErrorCode = keyof typeof errorCatalog;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorCatalog, code);
}

/** The API's code for a 4xx status some library chose; statuses the API does not use are plain validation failures. */
export function codeForStatus(status: number): ErrorCode {
  const known = (Object.keys(errorCatalog) as ErrorCode[]).find((code) => errorCatalog[code].status === status);
  return known ?? 'VALIDATION_FAILED';
}

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
    /** Fields the answer carries beside the error's own, for a client to act on (e.g. `orderIds`). */
    readonly fields?: Record<string, unknown>,
  ) {
    super(message ?? errorCatalog[code].message);
    this.statusCode = errorCatalog[code].status;
  }
}

/** Shorthand for `throw new AppError(...)` that reads well in services. */
export function fail(code: ErrorCode, message?: string, details?: unknown, fields?: Record<string, unknown>): never {
  throw new AppError(code, message, details, fields);
}

const reasonPhrases: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  details?: unknown;
}

export const reasonPhrase = (statusCode: number): string => reasonPhrases[statusCode] ?? 'Error';

export function errorBody(statusCode: number, code: string, message: string, details?: unknown, fields?: Record<string, unknown>): ErrorBody {
  // The error's own fields last: extra fields never overwrite them.
  const body: ErrorBody = { ...fields, statusCode, code, error: reasonPhrase(statusCode), message };
  if (details !== undefined) body.details = details;
  return body;
}
