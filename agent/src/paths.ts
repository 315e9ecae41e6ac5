import { join, resolve } from 'node:path';

/** Where an agent keeps its identity, journal, outbox and monitoring state unless told otherwise. */
export function defaultStateDir(platform: NodeJS.Platform = process.platform, env = process.env): string {
  if (platform === 'darwin') return '/Library/Application Support/Tether';
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'Tether');
  return '/var/lib/tether';
}

/** Always absolute: a service starts in another working directory than the shell that installed it. */
export function resolveStateDir(flag: string | undefined, env = process.env): string {
  return resolve(flag || env.TETHER_STATE_DIR || defaultStateDir(process.platform, env));
}

/** Every file the agent keeps in its state directory. */
export function statePaths(dir: string) {
  return {
    dir,
    identity: join(dir, 'identity.json'),
    status: join(dir, 'status.json'),
    lock: join(dir, 'run.lock'),
    scratch: join(dir, 'scripts'),
    outbox: join(dir, 'outbox.jsonl'),
    journal: join(dir, 'journal.jsonl'),
    /** The applied check config, as the signed text the hub sent. */
    checks: join(dir, 'checks.json'),
    checkScratch: join(dir, 'check-scripts'),
    /** The event log cursor, advanced when the hub acknowledges. */
    events: join(dir, 'events.json'),
    /** When a pending reboot was first seen. */
    reboot: join(dir, 'reboot.json'),
    /** The inventory snapshot the hub acknowledged, and the one in flight. */
    inventory: join(dir, 'inventory.json'),
    /** When the last patch scan ran, and a patch reboot announced with its deferrals. */
    patches: join(dir, 'patches.json'),
    /** Downloaded package files, by digest (`.part` while arriving, `.pkg` once verified). */
    packages: join(dir, 'packages'),
  };
}
export type StatePaths = ReturnType<typeof statePaths>;
