import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, nodeBinary } from '../../scripts/lib/platform';
import { run } from '../../scripts/lib/processes';

export interface Snapshot {
  /** The Worker bundled exactly as `wrangler deploy` would upload it. */
  script: string;
  /** A copy of the dashboard's built assets. */
  assets: string;
}

/**
 * Freezes the code under test at the start of a run: the repository keeps changing while a
 * bench runs (other people edit and rebuild), and `wrangler dev` restarts the Worker, closing
 * every socket, whenever a watched file changes. A frozen copy makes a long run measurable.
 */
export async function snapshot(stateDir: string): Promise<Snapshot> {
  const build = join(stateDir, 'build');
  await run(nodeBinary(), [join(ROOT, 'node_modules/.bin/wrangler'), 'deploy', '--dry-run', '--outdir', build], {
    cwd: ROOT,
    quiet: true,
    label: 'wrangler deploy --dry-run',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const assets = join(stateDir, 'assets');
  cpSync(join(ROOT, 'web/dist'), assets, { recursive: true });
  return { script: join(build, 'index.js'), assets };
}
