// Secrets are not in wrangler.toml, so `wrangler types` cannot see them.
interface TetherSecrets {
  /** base64 of 32 random bytes: encrypts tenant signing keys. `wrangler secret put TETHER_MASTER_KEY`. */
  TETHER_MASTER_KEY: string;
  /** Comma-separated extra origins allowed to call the API with a session cookie. */
  ALLOWED_ORIGINS?: string;
  /** Tests only: a URL prefix Slack `response_url`s may also point at (a local receiver). Never set in production. */
  SLACK_RESPONSE_URL_ALLOW?: string;
}
interface Env extends TetherSecrets {}
declare namespace Cloudflare {
  interface Env extends TetherSecrets {}
}
