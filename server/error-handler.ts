// One place that turns any thrown error into the API's JSON error shape, and logs it.
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StorageUnavailableError } from '../storage/blobs/blob-store';
import { AppError, codeForStatus, errorBody, isErrorCode, reasonPhrase, type ErrorCode } from './errors';

/** Errors raised by Fastify and its plugins, mapped to our stable codes. */
const frameworkCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

/** Node reports a request body the client cut short with a plain Error; that is the client's doing. */
const malformedBody = /aborted/i;

export function installErrorHandler(
  app: FastifyInstance,
  { pageNotFound }: { pageNotFound?: (request: FastifyRequest, reply: FastifyReply) => boolean } = {},
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status: number;
    let code: string;
    let message: string;
    let details: unknown;
    let fields: Record<string, unknown> | undefined;
    if (error instanceof AppError) {
      ({ statusCode: status, code, message, details, fields } = error);
    } else if (error.validation) {
      status = 400;
      code = 'VALIDATION_FAILED';
      message = `Invalid ${error.validationContext ?? 'request'}: ${error.message}`;
      details = error.validation.map((issue) => ({ path: issue.instancePath, message: issue.message }));
    } else if (error.code && frameworkCodes[error.code]) {
      code = frameworkCodes[error.code];
      status = new AppError(code as ErrorCode).statusCode;
      message = error.message;
    } else if (error.statusCode === 429) {
      status = 429;
      code = 'TOO_MANY_REQUESTS';
      message = 'Too many attempts; wait a minute and try again.';
    } else if (error.code === 'ERR_STREAM_PREMATURE_CLOSE' || malformedBody.test(error.message ?? '')) {
      status = 400;
      code = 'VALIDATION_FAILED';
      message = 'The upload was cut off or malformed; nothing from it was saved. Send it again.';
    } else if (['SQLITE_FULL', 'ENOSPC', 'EDQUOT'].includes(error.code ?? '')) {
      // A full disk the database reserve could not make up for: nothing was written; try again once space is freed.
      status = 507;
      code = 'INSUFFICIENT_STORAGE';
      message = new AppError('INSUFFICIENT_STORAGE').message;
    } else if (error instanceof StorageUnavailableError) {
      // The object store went away or refuses the writes as configured: retryable, and the log says why.
      status = 503;
      code = 'STORAGE_UNAVAILABLE';
      message = new AppError('STORAGE_UNAVAILABLE').message;
      reply.header('retry-after', '30');
    } else if (error.code === 'SQLITE_BUSY') {
      // Another writer (an order import's commit, in its worker) held the database past the wait: nothing
      // was written, and the same request a moment later goes through.
      status = 503;
      code = 'DATABASE_BUSY';
      message = new AppError('DATABASE_BUSY').message;
      reply.header('retry-after', '5');
    } else if (/UNIQUE constraint failed/.test(error.message ?? '')) {
      status = 409;
      code = 'CONFLICT';
      message = 'This already exists.';
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // A plugin's own refusal: its status if the API knows one, never its internal code.
      code = isErrorCode(error.code) ? error.code : codeForStatus(error.statusCode);
      status = new AppError(code as ErrorCode).statusCode;
      message = error.message;
    } else {
      status = 500;
      code = 'INTERNAL_ERROR';
      message = 'Something went wrong on the server.';
    }
    if (status >= 500 && status !== 507) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code, status, reason: message }, 'request refused');
    // The rest of a body refused as too large is not worth receiving: close instead of draining it.
    if (status === 413 && !request.raw.readableEnded) reply.header('connection', 'close');
    void reply.code(status).send(errorBody(status, code, message, details, fields));
  });

  app.setNotFoundHandler((request, reply) => {
    if (pageNotFound?.(request, reply)) return;
    void reply.code(404).send(errorBody(404, 'NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`));
  });
}

/**
 * Requests the router refuses before any route or hook: a path whose percent-encoding is not UTF-8
 * (say, a lone surrogate), or a parameter past the router's length limit.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A part of the path is too long.' : 'The path is not valid percent-encoded UTF-8.';
  request.log.info({ code: 'VALIDATION_FAILED', status: 400, reason: error.code }, 'request refused');
  void reply.code(400).send(errorBody(400, 'VALIDATION_FAILED', message));
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (control characters in a header, headers
 * too large, a raw space in the path, a client too slow to send its request), answered on the socket.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A connection reset leaves nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new AppError('HEADERS_TOO_LARGE')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT'
        ? new AppError('REQUEST_TIMEOUT')
        : new AppError('VALIDATION_FAILED', 'The request is not valid HTTP.');
  const status = refusal.statusCode;
  const body = JSON.stringify(errorBody(status, refusal.code, refusal.message));
  // As Node does: never write into a response already under way on this connection.
  const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !current?.headersSent) {
    socket.write(
      `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
