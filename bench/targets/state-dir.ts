import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/platform';

/** Every run starts from empty state in its own git-ignored folder. */
export function freshStateDir(label: string): string {
  const dir = join(ROOT, '.bench-state', `${label}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function removeStateDir(dir: string): void {
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}

export function requireBuiltAssets(): void {
  if (!existsSync(join(ROOT, 'web/dist'))) {
    throw new Error('web/dist is missing: the Worker serves the dashboard from it; run `npm run build:web` once first');
  }
}
