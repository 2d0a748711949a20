import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DirectoryError, type ErrorCode } from '../directory/errors.ts';

/** The one map from domain error codes to HTTP statuses. */
export const statusFor: Record<ErrorCode, ContentfulStatusCode> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  stale_version: 409,
  rate_limited: 429,
  unavailable: 503,
  database_busy: 503,
  internal: 500,
};

export function errorBody(error: DirectoryError) {
  return error.toJSON();
}

export function asDirectoryError(error: unknown): DirectoryError {
  return error instanceof DirectoryError
    ? error
    : new DirectoryError('internal', 'Something went wrong on our side.', { cause: error });
}
