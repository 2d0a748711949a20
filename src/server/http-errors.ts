import type { Context } from 'hono';
import type { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DirectoryError, type ErrorCode } from '../directory/errors.ts';

/** Refusals that only HTTP has, beside the domain's codes. */
export type HttpErrorCode =
  | ErrorCode
  | 'invalid_request'
  | 'payload_too_large'
  | 'method_not_allowed'
  | 'request_timeout';

/** The one map from error codes to HTTP statuses. */
export const statusFor: Record<HttpErrorCode, ContentfulStatusCode> = {
  validation: 400,
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  stale_version: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  database_busy: 503,
  internal: 500,
};

const codeForStatus = new Map<number, HttpErrorCode>(
  (Object.entries(statusFor) as [HttpErrorCode, number][]).reverse().map(([code, status]) => [status, code]),
);

/**
 * The REST error body every route answers with: `{ error, message, ... }` and the status from
 * `statusFor`. Auth, origin, body-limit and routing refusals all come through here.
 */
export function errorResponse(
  c: Context,
  code: HttpErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): Response {
  return c.json({ error: code, message, ...extra }, statusFor[code]);
}

/** JSON-RPC error body for /mcp (id null: the request could not be read as a request). */
export function jsonRpcErrorResponse(
  c: Context,
  options: { status: HttpErrorCode; rpcCode: number; message: string },
): Response {
  return c.json(
    { jsonrpc: '2.0', id: null, error: { code: options.rpcCode, message: options.message } },
    statusFor[options.status],
  );
}

/** Any thrown value as a DirectoryError (unknown ones become `internal`, their text never shown). */
export function asDirectoryError(error: unknown): DirectoryError {
  return error instanceof DirectoryError
    ? error
    : new DirectoryError('internal', 'Something went wrong on our side.', { cause: error });
}

/** The code an HTTPException (thrown by Hono middleware) stands for. */
export function codeOfHttpException(error: HTTPException): HttpErrorCode {
  return codeForStatus.get(error.status) ?? 'internal';
}
