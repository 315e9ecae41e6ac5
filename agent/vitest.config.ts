import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Agent tests run in plain Node: the integration tests spawn the built bundle as a real
// child process against a real local WebSocket server, so they need no Workers runtime.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Test files keep no shared state, and the machines are small: reuse workers.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 20_000,
  },
});
