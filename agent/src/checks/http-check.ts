import type { CheckOf } from '../../../protocol/checks';
import { describeError } from '../log';
import { AGENT_VERSION } from '../version';
import { fail, pass, type CheckContext, type Outcome } from './outcome';

/** Enough of a page to find a marker in; a large download is not read to the end. */
const MAX_BODY_BYTES = 1024 * 1024;

async function readBody(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  while (bytes < MAX_BODY_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.length;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * GET the URL. Redirects are followed unless a 3xx status is what is expected (then the
 * redirect itself is the answer); with no expected status any 2xx or 3xx passes.
 */
export async function httpCheck(c: CheckOf<'http'>, ctx: Pick<CheckContext, 'signal'>): Promise<Outcome> {
  const started = performance.now();
  const expectRedirect = c.expectStatus !== undefined && c.expectStatus >= 300 && c.expectStatus < 400;
  const signal = AbortSignal.any([AbortSignal.timeout(c.timeoutMs), ctx.signal]);
  let res: Response;
  let body = '';
  try {
    res = await fetch(c.url, {
      signal,
      redirect: expectRedirect ? 'manual' : 'follow',
      headers: { 'user-agent': `tether-agent/${AGENT_VERSION} (check)` },
    });
    if (c.contains !== undefined) body = await readBody(res);
    else await res.body?.cancel().catch(() => {});
  } catch (err) {
    if (signal.aborted && !ctx.signal.aborted) return fail(`no answer from ${c.url} within ${c.timeoutMs} ms`);
    const cause = (err as { cause?: unknown }).cause;
    return fail(`request to ${c.url} failed: ${describeError(cause ?? err)}`);
  }
  const ms = Math.round(performance.now() - started);
  const statusOk = c.expectStatus !== undefined ? res.status === c.expectStatus : res.status >= 200 && res.status < 400;
  const detail = `HTTP ${res.status} in ${ms} ms`;
  if (!statusOk) {
    return fail(`${c.url} answered HTTP ${res.status}, expected ${c.expectStatus ?? '2xx or 3xx'}`, { value: ms, output: detail });
  }
  if (c.contains !== undefined && !body.includes(c.contains)) {
    return fail(`${c.url} answered HTTP ${res.status} but the page does not contain "${c.contains}"`, { value: ms, output: detail });
  }
  return pass(`${c.url} answered HTTP ${res.status} in ${ms} ms`, { value: ms });
}
