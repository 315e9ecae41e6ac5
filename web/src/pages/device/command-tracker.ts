import { createMemo, createRoot, createSignal, onCleanup, type Accessor } from 'solid-js';
import { FINAL_STATUSES, type CommandStatus } from '../../../../protocol/command';
import { api, call, type Data } from '../../api/client';
import type { DeviceLive } from './device-live';

export type Command = Data<(typeof api.commands)[':id']['$get']>['command'];

export interface TrackedCommand {
  id: string;
  /** null until the stored record was read (a command followed from its creation knows it). */
  type: Accessor<string | null>;
  status: Accessor<CommandStatus>;
  isFinal: Accessor<boolean>;
  output: Accessor<string>;
  exitCode: Accessor<number | null>;
  durationMs: Accessor<number | null>;
  truncated: Accessor<boolean>;
  error: Accessor<string | null>;
  dispose: () => void;
}

const isFinal = (s: CommandStatus) => FINAL_STATUSES.includes(s);

/**
 * Follows one command to its end. The device socket streams output; when the socket is
 * down (or a frame was missed) polling GET /commands/:id fills in, fast while the socket
 * is down and slowly as a safety net while it is up.
 */
export function trackCommand(live: DeviceLive, initial: Pick<Command, 'id' | 'status'> & Partial<Command>, onFinal?: () => void): TrackedCommand {
  return createRoot((dispose) => {
    const stream = live.stream(initial.id);
    const [polled, setPolled] = createSignal<Partial<Command> & Pick<Command, 'status'>>(initial);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let announced = false;

    const status = createMemo<CommandStatus>(() => {
      const p = polled();
      if (isFinal(p.status as CommandStatus)) return p.status as CommandStatus;
      return stream.state()?.status ?? (p.status as CommandStatus);
    });
    const final = createMemo(() => isFinal(status()));
    // The server's stored output is complete once final; the stream may have missed a chunk.
    const output = createMemo(() => {
      const stored = polled().output ?? '';
      const streamed = stream.output();
      return stored.length >= streamed.length ? stored : streamed;
    });

    const poll = async () => {
      timer = undefined;
      if (stopped) return;
      try {
        const res = await call(api.commands[':id'].$get({ param: { id: initial.id } }));
        setPolled(res.command);
      } catch {
        // Keep the last known state; the next poll retries.
      }
      schedule();
    };
    let finalPolls = 0;
    const schedule = () => {
      if (stopped) return;
      if (isFinal(polled().status as CommandStatus)) {
        stopped = true;
        return;
      }
      // Final by socket: read the stored record a few times to pick up duration and full output.
      if (final() && finalPolls++ >= 3) {
        stopped = true;
        return;
      }
      timer = setTimeout(poll, final() ? 700 : live.connected() ? 5_000 : 1_500);
    };

    createMemo(() => {
      if (final() && !announced) {
        announced = true;
        onFinal?.();
        if (timer) {
          clearTimeout(timer);
          timer = setTimeout(poll, 300);
        }
      }
    });
    createMemo(() => {
      // The socket just dropped while we wait: switch to fast polling now.
      if (!live.connected() && !final() && timer) {
        clearTimeout(timer);
        timer = setTimeout(poll, 300);
      }
    });
    if (!isFinal(initial.status as CommandStatus)) schedule();
    // Known finished but not read yet (a job's row): one read brings its output.
    else if (initial.output === undefined) void poll();

    return {
      id: initial.id,
      type: () => polled().type ?? null,
      status,
      isFinal: final,
      output,
      exitCode: () => {
        const p = polled();
        return p.exitCode ?? stream.state()?.exitCode ?? null;
      },
      durationMs: () => polled().durationMs ?? null,
      truncated: () => !!(polled().truncated || stream.state()?.truncated),
      error: () => polled().error ?? stream.state()?.error ?? null,
      dispose: () => {
        stopped = true;
        clearTimeout(timer);
        dispose();
      },
    };
  });
}

/** Disposes the previous tracker whenever a new one takes its place. */
export function createTrackerSlot(): [() => TrackedCommand | null, (c: TrackedCommand | null) => void] {
  const [current, setCurrent] = createSignal<TrackedCommand | null>(null);
  const set = (c: TrackedCommand | null) => {
    const prev = current();
    if (prev && prev !== c) prev.dispose();
    setCurrent(() => c);
  };
  onCleanup(() => current()?.dispose());
  return [current, set];
}
