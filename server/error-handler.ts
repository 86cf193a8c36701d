// One place that turns any thrown error into the API's JSON error shape, and logs it.
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, errorBody, type ErrorCode } from './errors';

/** Errors raised by Fastify and its plugins, mapped to our stable codes. */
const frameworkCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_FIELDS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_PROTO_VIOLATION: 'VALIDATION_FAILED',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

/** busboy reports a body cut short or malformed with plain Errors; these are the client's doing. */
const malformedBody = /Unexpected end of (form|multipart data)|Malformed part header|Multipart: Boundary not found|Part terminated early|aborted/i;

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status: number;
    let code: string;
    let message: string;
    let details: unknown;
    if (error instanceof AppError) {
      ({ statusCode: status, code, message, details } = error);
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
    } else if (/UNIQUE constraint failed/.test(error.message ?? '')) {
      status = 409;
      code = 'CONFLICT';
      message = 'This already exists.';
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      code = error.code ?? 'BAD_REQUEST';
      message = error.message;
    } else {
      status = 500;
      code = 'INTERNAL_ERROR';
      message = 'Something went wrong on the server.';
    }
    if (status >= 500 && status !== 507) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code, status, reason: message }, 'request refused');
    void reply.code(status).send(errorBody(status, code, message, details));
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(errorBody(404, 'NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`));
  });
}
