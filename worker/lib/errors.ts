import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';

export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'bootstrap_closed'
  | 'portal_only'
  | 'ticket_closed'
  | 'self_approval'
  | 'read_only'
  | 'not_ready'
  | 'size_mismatch'
  | 'internal';

export interface ErrorIssue {
  path: string;
  message: string;
}

/** The one error shape of the API: `{ "error": { "code", "message", "issues"? } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: ErrorIssue[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what = 'resource') => new ApiError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'your role does not allow this') => new ApiError(403, 'forbidden', message);
export const badRequest = (message: string, issues?: ErrorIssue[]) =>
  new ApiError(400, issues ? 'validation_failed' : 'bad_request', message, issues);

export function errorResponse(c: Context, err: ApiError) {
  const body: ErrorBody = { error: { code: err.code, message: err.message } };
  if (err.issues) body.error.issues = err.issues;
  if (err.headers) for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return c.json(body, err.status);
}

export function onError(err: Error, c: Context) {
  if (err instanceof ApiError) return errorResponse(c, err);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    // Hono's validators throw a bare 400 for a body that does not parse at all (malformed JSON):
    // it is invalid input like any other, so it gets the same code and an issue at the root.
    if (status === 400) {
      const message = err.message || 'malformed request body';
      return errorResponse(c, new ApiError(400, 'validation_failed', message, [{ path: '', message }]));
    }
    const code: ErrorCode = status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : 'bad_request';
    return errorResponse(c, new ApiError(status, code, err.message || 'request refused'));
  }
  console.error('unhandled error', c.req.method, c.req.path, err);
  return errorResponse(c, new ApiError(500, 'internal', 'internal error'));
}
