import type { GenericSchema } from 'valibot';
import { resolver } from 'hono-openapi';
import { ErrorBody } from '../../protocol/api/common';

/* OpenAPI response descriptions, built from the same valibot schemas the dashboard parses with. */

export function jsonBody(description: string, schema: GenericSchema) {
  return { description, content: { 'application/json': { schema: resolver(schema) } } };
}

const ERROR_TEXT = {
  400: 'invalid input (`validation_failed`, with issues)',
  401: 'not signed in, or the API token is invalid',
  403: 'the caller\'s role or scope does not allow this',
  404: 'not found (another tenant\'s or another client\'s id answers the same)',
  409: 'conflicts with the current state',
  413: 'request body too large',
  429: 'too many attempts (`rate_limited`, see Retry-After)',
} as const;

/** The error answers a route can give, all in the one error shape. */
export function errors(...statuses: (keyof typeof ERROR_TEXT)[]) {
  return Object.fromEntries(statuses.map((s) => [s, jsonBody(ERROR_TEXT[s], ErrorBody)]));
}

export const noContent = { description: 'done, no body' };
