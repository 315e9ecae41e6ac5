/*
 * Answers to Slack through an interaction's `response_url`. Only Slack's own host is ever
 * posted to, so a forged payload cannot aim our server at an arbitrary URL. Tests point it at
 * a local receiver through SLACK_RESPONSE_URL_ALLOW, a binding that exists only in tests.
 */

export function allowedResponseUrl(env: Env, raw: string | undefined): string | null {
  if (!raw || raw.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol === 'https:' && url.hostname === 'hooks.slack.com' && !url.username && !url.password && url.port === '') return url.href;
  const allow = env.SLACK_RESPONSE_URL_ALLOW;
  return allow && url.href.startsWith(allow) ? url.href : null;
}

/** Best effort, after the 3-second answer: Slack accepts a response_url 5 times in 30 minutes. */
export async function postToSlack(env: Env, responseUrl: string | undefined, body: Record<string, unknown>): Promise<void> {
  const url = allowedResponseUrl(env, responseUrl);
  if (!url) return;
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.body?.cancel();
  } catch {
    // Nothing to retry into: the action itself is done and recorded.
  }
}

export const ephemeral = (text: string) => ({ response_type: 'ephemeral' as const, replace_original: false, text });
