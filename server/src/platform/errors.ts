// One error shape for every failure: { error: { code, message, details? } }.
// Services throw AppError with a stable machine-readable code; the HTTP layer maps everything else.
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export class AppError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const unauthorized = (code: string, message: string) => new AppError(401, code, message);
export const forbidden = (message = 'You are not allowed to do this', code = 'FORBIDDEN') =>
  new AppError(403, code, message);
export const notFound = (what: string, code = 'NOT_FOUND') => new AppError(404, code, `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new AppError(422, code, message, details);

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

// Fastify's own error codes for malformed requests, mapped to ours.
const FASTIFY_CODES: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON', message: 'Request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'INVALID_JSON',
    message: 'Request body is empty but Content-Type is JSON',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported Content-Type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'Content-Length does not match the body',
  },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
};

// @fastify/busboy reports a malformed multipart body with plain Errors (lib/types/multipart.js,
// deps/dicer/lib/Dicer.js): the client's mistake, not ours.
const MALFORMED_MULTIPART = new RegExp(
  '^(Multipart: Boundary not found|Unexpected end of multipart data' +
    '|\\w+ terminated early due to unexpected end of multipart data|Malformed part header)',
);

/** Fastify's router answers (bad percent-encoding, a path parameter over maxParamLength), in our shape. */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const long = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
  req.log.info({ code: err.code }, 'bad URL');
  const body = long
    ? errorBody('URI_TOO_LONG', 'A part of the path is too long')
    : errorBody('BAD_URL', 'The URL is not valid');
  void reply.status(long ? 414 : 400).send(body);
}

/** Requests Node's HTTP parser refuses (broken request line, headers too large, timeouts), in our shape. */
export function clientErrors(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', 'The request took too long']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', 'The request headers are too large']
        : err.code === 'HPE_URI_TOO_LONG'
          ? [414, 'URI_TOO_LONG', 'The URL is too long']
          : [400, 'BAD_REQUEST', 'The request is not valid HTTP'];
  const body = JSON.stringify(errorBody(code, message));
  if (socket.writable) {
    const head = `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`;
    socket.write(`${head}Content-Type: application/json\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (err instanceof AppError) {
      req.log.info({ code: err.code, status: err.statusCode }, err.message);
      // A throttled client is told when to come back (see tooManyRequests in http/rate-limit.ts).
      const retryAfterSec = (err.details as { retryAfterSec?: unknown } | undefined)?.retryAfterSec;
      if (err.statusCode === 429 && typeof retryAfterSec === 'number') reply.header('retry-after', `${retryAfterSec}`);
      return reply.status(err.statusCode).send(errorBody(err.code, err.message, err.details));
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const details = fe.validation.map((v) => ({
        path: `${fe.validationContext ?? 'body'}${v.instancePath || ''}`,
        message: v.message ?? 'invalid',
        ...(v.keyword === 'additionalProperties'
          ? { field: (v.params as { additionalProperty?: string }).additionalProperty }
          : {}),
      }));
      req.log.info({ details }, 'validation failed');
      return reply.status(400).send(errorBody('VALIDATION_FAILED', 'The request is not valid', details));
    }
    const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
    if (mapped) {
      req.log.info({ code: mapped.code }, fe.message);
      return reply.status(mapped.status).send(errorBody(mapped.code, mapped.message ?? fe.message));
    }
    if (!fe.statusCode && MALFORMED_MULTIPART.test(fe.message)) {
      req.log.info({ reason: fe.message }, 'malformed multipart body');
      return reply.status(400).send(errorBody('MULTIPART_INVALID', 'The multipart/form-data body is malformed'));
    }
    if (err instanceof SyntaxError && fe.statusCode === 400) {
      return reply.status(400).send(errorBody('INVALID_JSON', 'Request body is not valid JSON'));
    }
    if (fe.statusCode === 429) {
      return reply.status(429).send(errorBody('RATE_LIMITED', 'Too many requests'));
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      req.log.info({ err }, 'client error');
      return reply.status(fe.statusCode).send(errorBody('BAD_REQUEST', fe.message));
    }
    // Never leak internals: the log has the stack, the client gets a code and the request id.
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody('INTERNAL', 'Something went wrong on our side', { requestId: req.id }));
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(errorBody('ROUTE_NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}`));
  });
}
