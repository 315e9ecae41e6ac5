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
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url))),
        },
      },
    }),
  ],
  test: {
    include: ['worker/**/*.test.ts', 'durable/**/*.test.ts'],
    setupFiles: ['./test/apply-migrations.ts'],
    testTimeout: 20_000,
  },
}));
