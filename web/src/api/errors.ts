import type { ErrorBody, ErrorIssue } from '@tether/types/worker/lib/errors';

/** Any failed API call, normalised to the API's one error shape. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorBody['error']['code'] | 'network' | 'unexpected',
    message: string,
    readonly issues: ErrorIssue[] = [],
    /** Seconds, from Retry-After on 429. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  static async fromResponse(res: Response): Promise<ApiFailure> {
    const retry = Number(res.headers.get('retry-after'));
    const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
    try {
      const body = (await res.json()) as Partial<ErrorBody>;
      if (body.error && typeof body.error.message === 'string') {
        return new ApiFailure(res.status, body.error.code, body.error.message, body.error.issues ?? [], retryAfter);
      }
    } catch {
      // A proxy or gateway answered with something other than our JSON: fall through.
    }
    return new ApiFailure(res.status, 'unexpected', `the server answered ${res.status} ${res.statusText}`.trim(), [], retryAfter);
  }

  /**
   * The same failure seen from inside one part of the body: issues under `prefix.` lose the
   * prefix, so a sub-form ("checks.3") can show them next to its own fields.
   */
  within(prefix: string): ApiFailure {
    const inner = this.issues.filter((i) => i.path.startsWith(prefix + '.')).map((i) => ({ ...i, path: i.path.slice(prefix.length + 1) }));
    const outer = this.issues.filter((i) => i.path !== prefix && !i.path.startsWith(prefix + '.'));
    const own = this.issues.filter((i) => i.path === prefix).map((i) => ({ ...i, path: '' }));
    return new ApiFailure(this.status, this.code, this.message, [...inner, ...own, ...outer], this.retryAfter);
  }

  /** The message for one form field; issue paths are dotted ("params.script"). */
  issueFor(path: string, exact = false): string | undefined {
    return this.issues.find((i) => i.path === path || (!exact && i.path.startsWith(path + '.')))?.message;
  }
}

export function toFailure(err: unknown): ApiFailure {
  if (err instanceof ApiFailure) return err;
  if (err instanceof TypeError) return new ApiFailure(0, 'network', 'cannot reach the server; check your connection');
  return new ApiFailure(0, 'unexpected', err instanceof Error ? err.message : String(err));
}

/** One line for a toast or a form banner. */
export function describeFailure(err: unknown): string {
  const f = toFailure(err);
  if (f.code === 'rate_limited' && f.retryAfter) return `${f.message} (try again in ${f.retryAfter} s)`;
  if (f.issues.length && f.code === 'validation_failed') {
    return f.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  }
  return f.message;
}
