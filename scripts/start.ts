// `npm start`: the whole platform on this machine — local D1/R2/Durable Objects under
// .wrangler/state, the dashboard, a first tenant and owner, and a real agent for this
// machine (state in .tether/, git-ignored). `npm run dev` adds Vite with hot reload.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { run, startLong, stopAll } from './lib/processes';
import {
  ROOT,
  AGENT_BUNDLE,
  applyMigrations,
  bootstrapIfNeeded,
  createApiToken,
  createEnrollmentKey,
  ensureDevVars,
  enrollAgent,
  nodeBinary,
  saveSecret,
  startAgent,
  startServer,
} from './lib/platform';

const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT ?? 8787);
const stateDir = join(ROOT, '.tether');
const agentState = join(stateDir, 'agent');
const tokenFile = join(stateDir, 'admin-token');
const say = (msg: string) => console.log(`\x1b[36m[tether]\x1b[0m ${msg}`);

let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  await stopAll();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));

async function main() {
  ensureDevVars();
  say('applying database migrations (local D1)…');
  await applyMigrations();
  say('building the dashboard and the agent…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (!dev || !existsSync(join(ROOT, 'web/dist/index.html'))) await run(npm, ['run', '--silent', 'build:web'], { cwd: ROOT, quiet: true, label: 'build:web' });
  await run(npm, ['run', '--silent', 'build:agent'], { cwd: ROOT, quiet: true, label: 'build:agent' });
  await run(nodeBinary(), [join(ROOT, 'scripts/copy-agent.mjs')], { cwd: ROOT, quiet: true });

  say(`starting the Worker on http://127.0.0.1:${port} …`);
  const server = await startServer({ port });
  const first = await bootstrapIfNeeded(server.url, { tenantName: 'My MSP', name: 'Owner', email: 'admin@tether.local' });
  if (first) {
    saveSecret(tokenFile, await createApiToken(server.url, first.cookie, 'npm start (this machine)'));
    console.log(
      `\n  First run: your tenant and owner were created. This is shown once:\n\n` +
        `    URL       ${dev ? 'http://localhost:5173' : server.url}\n    email     ${first.email}\n    password  ${first.password}\n\n`,
    );
  }

  if (!existsSync(join(agentState, 'identity.json'))) {
    if (!existsSync(tokenFile)) {
      say('no local admin token: enroll this machine from the dashboard (Enrollment → install command).');
    } else {
      say(`enrolling this machine (${hostname()}) …`);
      const key = await createEnrollmentKey(server.url, readFileSync(tokenFile, 'utf8').trim());
      await enrollAgent(server.url, key, agentState);
    }
  }
  if (existsSync(join(agentState, 'identity.json'))) {
    say('starting the agent for this machine…');
    const agent = startAgent(agentState);
    agent.on('exit', (code) => !stopping && say(`agent exited (${code}); see its log above. The platform keeps running.`));
  }

  if (dev) {
    startLong('vite', nodeBinary(), [join(ROOT, 'node_modules/.bin/vite'), '--config', 'web/vite.config.ts', '--port', '5173', '--strictPort'], { cwd: ROOT });
    say('dashboard with hot reload: http://localhost:5173');
  }
  say(`ready: ${dev ? 'http://localhost:5173' : server.url}  (Ctrl-C stops everything)`);
  server.child.on('exit', (code) => !stopping && (say(`wrangler exited (${code})`), void shutdown(1)));
  if (!existsSync(AGENT_BUNDLE)) say('agent bundle missing: run npm run build:agent');
}

main().catch(async (err) => {
  console.error(`\n[tether] start failed: ${err instanceof Error ? err.message : err}`);
  await shutdown(1);
});
