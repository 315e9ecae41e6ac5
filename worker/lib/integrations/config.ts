import * as v from 'valibot';
import { openText, sealText } from '../crypto';

/*
 * What each integration keeps secret, sealed with AES-GCM under TETHER_MASTER_KEY before it
 * reaches D1, and the hint the API may show instead. Nothing here is ever logged.
 */

/* Plain http only to this machine's loopback address: a local receiver in development and
   tests. The API refuses it unless ALLOW_LOOPBACK_TARGETS is on (local runs only). */
const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|\[::1\])(:\d{1,5})?\//;
const HttpsUrl = v.pipe(
  v.string(),
  v.trim(),
  v.maxLength(2048),
  v.url('not a URL'),
  v.check((u) => u.startsWith('https://') || LOOPBACK_HTTP.test(u), 'must be an https:// URL'),
);
const Secret = v.pipe(v.string(), v.minLength(8, 'too short for a signing secret'), v.maxLength(512));

export const SlackConfig = v.object({
  /** Incoming webhook: https://hooks.slack.com/services/… */
  webhookUrl: HttpsUrl,
  /** The Slack app's signing secret, for interactivity and slash commands. */
  signingSecret: v.optional(Secret),
});
export const TeamsConfig = v.object({
  /** A Workflows (Power Automate) webhook URL. Office 365 connector URLs are refused. */
  webhookUrl: HttpsUrl,
  /** The base64 security token Teams shows when an outgoing webhook is created. */
  outgoingSecret: v.optional(Secret),
});
export const WebhookConfig = v.object({
  url: HttpsUrl,
  /** Signs every delivery (HMAC-SHA256 over timestamp and body). */
  secret: Secret,
});

export type SlackConfig = v.InferOutput<typeof SlackConfig>;
export type TeamsConfig = v.InferOutput<typeof TeamsConfig>;
export type WebhookConfig = v.InferOutput<typeof WebhookConfig>;
export interface ConfigOf {
  slack: SlackConfig;
  teams: TeamsConfig;
  webhook: WebhookConfig;
}
export type IntegrationKind = keyof ConfigOf;

export const CONFIG_SCHEMA = { slack: SlackConfig, teams: TeamsConfig, webhook: WebhookConfig } as const;

export async function sealConfig(masterKey: string, config: ConfigOf[IntegrationKind]): Promise<string> {
  return sealText(masterKey, JSON.stringify(config));
}

export async function openConfig<K extends IntegrationKind>(masterKey: string, kind: K, sealed: string): Promise<ConfigOf[K]> {
  const plain = await openText(masterKey, sealed);
  return v.parse(CONFIG_SCHEMA[kind], JSON.parse(plain)) as ConfigOf[K];
}

/** `hooks.slack.com/…/x9Qa`: enough to tell two integrations apart, useless to an attacker. */
export function configHint(kind: IntegrationKind, config: ConfigOf[IntegrationKind]): string {
  const raw = kind === 'webhook' ? (config as WebhookConfig).url : (config as SlackConfig | TeamsConfig).webhookUrl;
  const url = new URL(raw);
  const tail = (url.pathname + url.search).replace(/\/+$/, '').slice(-4);
  return `${url.host}/…/${tail}`;
}
