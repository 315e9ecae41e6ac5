import * as v from 'valibot';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../fs-atomic';

const Saved = v.object({ since: v.nullable(v.number()) });

/**
 * When the agent first saw "reboot required", kept on disk: the reboot-pending check alerts
 * after N days, and an agent restart (an update of the agent itself) must not reset the clock.
 */
export class RebootTracker {
  private since: number | null = null;

  constructor(private readonly path: string) {
    try {
      const parsed = v.safeParse(Saved, JSON.parse(readFileSync(path, 'utf8')));
      if (parsed.success) this.since = parsed.output.since;
    } catch {
      // first run, or a damaged file: start counting from the next sighting
    }
  }

  /** `osSince`: when the OS itself says the requirement began (the flag file's time). */
  update(required: boolean | null, now: number, osSince?: number | null): number | null {
    if (required === null) return null;
    const next = required ? Math.min(this.since ?? now, osSince ?? Infinity, now) : null;
    if (next !== this.since) {
      this.since = next;
      try {
        writeFileAtomic(this.path, JSON.stringify({ since: next }) + '\n', 0o600);
      } catch {
        // the value is still right for this run
      }
    }
    return next;
  }
}
