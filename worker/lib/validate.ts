import type { GenericSchema } from 'valibot';
import type { ValidationTargets } from 'hono';
import { validator } from 'hono-openapi';
import { ApiError, type ErrorIssue } from './errors';

interface StdIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
}

export function toIssues(issues: readonly StdIssue[]): ErrorIssue[] {
  return issues.map((i) => ({
    path: (i.path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p)).join('.'),
    message: i.message,
  }));
}

/**
 * Valibot validation for one part of the request, documented in the OpenAPI spec by the
 * same schema. Failure throws, so every route answers the one error shape.
 */
export function valid<T extends GenericSchema, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return validator(target, schema, (result) => {
    if (!result.success) {
      throw new ApiError(400, 'validation_failed', `invalid ${target}`, toIssues(result.error));
    }
  });
}
