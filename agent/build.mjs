// Bundles the agent into one ESM file that runs with a bare `node`, nothing to install.
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const outfile = here('./dist/tether-agent.mjs');

await build({
  entryPoints: [here('./src/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
  // ws loads these native accelerators only if present; the agent runs without them.
  external: ['bufferutil', 'utf-8-validate'],
  banner: {
    // Bundled CommonJS dependencies (ws, systeminformation) call require() for builtins.
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __tetherCreateRequire } from 'node:module';",
      'const require = __tetherCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});
await chmod(outfile, 0o755);
