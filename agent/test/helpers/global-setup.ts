import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Integration tests spawn the bundle; rebuilding first means they never test a stale one.
export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../build.mjs', import.meta.url))], { stdio: 'inherit' });
}
