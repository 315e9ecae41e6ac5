import { defineConfig } from 'vitest/config';

// Whole-system tests: wrangler dev + the real agent + headless Chromium. Sequential.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
});
