import * as v from 'valibot';
import type { IntegrationKind } from '../../../protocol/api/integrations';
import { randomSecret } from '../crypto';
import { badRequest } from '../errors';
import { CONFIG_SCHEMA, type ConfigOf } from './config';
import { isRetiredTeamsConnector, RETIRED_TEAMS_MESSAGE } from './teams-url';

/**
 * Checks a config the API received against its kind's schema (400 with `config.*` issues).
 * A webhook without a secret keeps `keepSecret` (a PATCH changing only the URL) or gets a
 * new one, which is returned so the caller can show it once.
 */
export function parseConfigInput(
  kind: IntegrationKind,
  raw: Record<string, unknown>,
  opts: { keepSecret?: string; allowLoopback: boolean },
): { config: ConfigOf[IntegrationKind]; generatedSecret?: string } {
  const keepSecret = opts.keepSecret;
  let generatedSecret: string | undefined;
  const input = { ...raw };
  if (kind === 'webhook' && input.secret === undefined) {
    if (keepSecret) input.secret = keepSecret;
    else input.secret = generatedSecret = randomSecret('whsec');
  }
  const parsed = v.safeParse(CONFIG_SCHEMA[kind], input);
  if (!parsed.success) {
    const issues = parsed.issues.map((i) => ({ path: ['config', ...(i.path ?? []).map((p) => String(p.key))].join('.'), message: i.message }));
    throw badRequest('invalid config', issues);
  }
  const target = kind === 'webhook' ? (parsed.output as ConfigOf['webhook']).url : (parsed.output as ConfigOf['slack' | 'teams']).webhookUrl;
  if (!opts.allowLoopback && !target.startsWith('https://')) {
    const field = kind === 'webhook' ? 'config.url' : 'config.webhookUrl';
    throw badRequest('must be an https:// URL', [{ path: field, message: 'must be an https:// URL' }]);
  }
  if (kind === 'teams' && isRetiredTeamsConnector((parsed.output as ConfigOf['teams']).webhookUrl)) {
    throw badRequest(RETIRED_TEAMS_MESSAGE, [{ path: 'config.webhookUrl', message: RETIRED_TEAMS_MESSAGE }]);
  }
  return { config: parsed.output, generatedSecret };
}

/** Local runs (npm start, tests, benchmarks) turn this on; wrangler.toml keeps it off. */
export const loopbackAllowed = (env: Env): boolean => (env.ALLOW_LOOPBACK_TARGETS as string) === 'true';
