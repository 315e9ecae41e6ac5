import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Server tests run inside workerd with the real bindings of wrangler.toml
// (D1, R2, both Durable Objects), storage isolated per test file.
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          // A fixed test key: never used outside tests.
          TETHER_MASTER_KEY: 'dGV0aGVyLXRlc3QtbWFzdGVyLWtleS0zMi1ieXRlcyE=',
          // Slack response_urls may also point at the local test receiver (production allows only hooks.slack.com).
          SLACK_RESPONSE_URL_ALLOW: 'http://127.0.0.1:',
          // Integrations may target the local receivers over plain http (off when deployed).
          ALLOW_LOOPBACK_TARGETS: 'true',
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url))),
        },
      },
    }),
  ],
  test: {
    include: ['worker/**/*.test.ts', 'durable/**/*.test.ts'],
    setupFiles: ['./test/apply-migrations.ts'],
    // A local HTTP receiver on 127.0.0.1 standing in for Slack's response_url and for webhook targets.
    globalSetup: ['./test/receiver.ts'],
    testTimeout: 20_000,
  },
}));
