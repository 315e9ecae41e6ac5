// Publishes the agent bundle with the dashboard assets, so install commands can fetch it
// from the same origin (/downloads/tether-agent.mjs).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'agent/dist/tether-agent.mjs');
const dest = join(root, 'web/dist/downloads/tether-agent.mjs');
if (!existsSync(src)) throw new Error('agent/dist/tether-agent.mjs is missing: run npm run build:agent');
mkdirSync(dirname(dest), { recursive: true });
copyFileSync(src, dest);
