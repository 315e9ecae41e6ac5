import { DEFAULT_COLLECTORS, type CollectorIntervals } from '../../../protocol/checks';
import type { StateData, StateFrame, StateSection } from '../../../protocol/device-state';
import { frameProblem } from '../frame-guard';
import { log } from '../log';
import { Periodic } from './periodic';
import { collectProcesses } from './processes';
import { RebootTracker } from './reboot-since';
import { collectSecurity } from './security';
import { collectServices } from './services';
import { collectSmart } from './smart';

export type SectionCollectors = { [S in StateSection]: () => Promise<StateData<S> | null> };

const INTERVAL_OF: Record<StateSection, keyof CollectorIntervals> = {
  processes: 'processesSeconds',
  services: 'servicesSeconds',
  security: 'securitySeconds',
  smart: 'smartSeconds',
};
/** Spread the first runs out so connecting is not one burst of child processes. */
const FIRST_DELAY_MS: Record<StateSection, number> = { processes: 1_000, services: 3_000, security: 5_000, smart: 7_000 };

export function defaultSectionCollectors(rebootPath: string): SectionCollectors {
  const reboot = new RebootTracker(rebootPath);
  return {
    processes: collectProcesses,
    services: collectServices,
    security: () => collectSecurity(reboot),
    smart: collectSmart,
  };
}

/**
 * A frame the hub accepts: too large a list is trimmed (long descriptions first) rather
 * than sent and refused.
 */
export function fitStateFrame(frame: StateFrame): StateFrame | null {
  let f = frame;
  if (!frameProblem(f)) return f;
  if (f.section === 'services') f = { ...f, data: f.data.map(({ displayName: _, ...s }) => s) };
  if (f.section === 'processes') f = { ...f, data: f.data.map(({ command: _, ...p }) => p) };
  while (frameProblem(f) && (f.section === 'services' || f.section === 'processes') && f.data.length > 1) {
    f = { ...f, data: f.data.slice(0, Math.floor(f.data.length / 2)) } as StateFrame;
  }
  return frameProblem(f) ? null : f;
}

/**
 * The slow collectors (services, processes, security, SMART), each on its own interval.
 * Their sections are not acknowledged: the latest is sent when collected if connected, and
 * again after every (re)connect.
 */
export class StateCollectors {
  private readonly latest = new Map<StateSection, StateFrame>();
  private readonly loops: Record<StateSection, Periodic>;
  private readonly quiet = new Set<StateSection>();

  constructor(
    private readonly send: (frame: StateFrame) => boolean,
    collectors: SectionCollectors,
    private readonly now: () => number = Date.now,
  ) {
    const loop = <S extends StateSection>(section: S) =>
      new Periodic(`${section} collector`, async () => {
        const data = await collectors[section]();
        if (data === null) {
          if (!this.quiet.has(section)) log.info(`${section}: not available on this machine`);
          this.quiet.add(section);
          return;
        }
        this.quiet.delete(section);
        this.publish({ t: 'state', at: this.now(), section, data } as StateFrame);
      });
    this.loops = { processes: loop('processes'), services: loop('services'), security: loop('security'), smart: loop('smart') };
  }

  start(intervals: CollectorIntervals = DEFAULT_COLLECTORS): void {
    for (const [section, loop] of Object.entries(this.loops) as [StateSection, Periodic][]) {
      loop.start(intervals[INTERVAL_OF[section]], FIRST_DELAY_MS[section]);
    }
  }

  setIntervals(intervals: CollectorIntervals): void {
    for (const [section, loop] of Object.entries(this.loops) as [StateSection, Periodic][]) loop.setInterval(intervals[INTERVAL_OF[section]]);
  }

  /** After a (re)connect: the latest of every section collected so far. */
  onConnect(): void {
    for (const frame of this.latest.values()) this.send(frame);
  }

  /** Collects one section now (tests, and a technician's refresh later). */
  refresh(section: StateSection): Promise<void> {
    return this.loops[section].runNow();
  }

  stop(): void {
    for (const loop of Object.values(this.loops)) loop.stop();
  }

  private publish(frame: StateFrame): void {
    const fitted = fitStateFrame(frame);
    if (!fitted) {
      log.warn(`${frame.section}: collected data does not fit a frame (${frameProblem(frame)}); not sent`);
      return;
    }
    this.latest.set(frame.section, fitted);
    this.send(fitted);
  }
}
