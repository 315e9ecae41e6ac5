// `npm run deploy`: the same code on Cloudflare. Needs `wrangler login`, a real D1
// database_id in wrangler.toml and the TETHER_MASTER_KEY secret (see README).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './lib/processes';
import { ROOT, nodeBinary } from './lib/platform';

const wrangler = (args: string[]) => run(nodeBinary(), [join(ROOT, 'node_modules/.bin/wrangler'), ...args], { cwd: ROOT, label: `wrangler ${args[0]}` });

async function main() {
  if (readFileSync(join(ROOT, 'wrangler.toml'), 'utf8').includes('00000000-0000-0000-0000-000000000000')) {
    throw new Error('set database_id in wrangler.toml to the id printed by `npx wrangler d1 create tether`');
  }
  const secrets = await wrangler(['secret', 'list']);
  if (!secrets.includes('TETHER_MASTER_KEY')) {
    throw new Error('set the master key first: openssl rand -base64 32 | npx wrangler secret put TETHER_MASTER_KEY');
  }
  await run('npm', ['run', 'build'], { cwd: ROOT, label: 'build' });
  await wrangler(['d1', 'migrations', 'apply', 'DB', '--remote']);
  await wrangler(['deploy']);
}

main().catch((err) => {
  console.error(`[tether] deploy failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
