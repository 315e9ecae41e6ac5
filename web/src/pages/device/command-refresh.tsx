import { createEffect, createSignal, on, onCleanup, Show, type JSX } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import type { CreateCommand } from '../../../../protocol/api/devices';
import { can } from '../../state/session';
import { toastError } from '../../state/toasts';
import { CommandStatusBadge } from './command-status';
import { sendDeviceCommand } from './device-command';
import { createTrackerSlot, type TrackedCommand } from './command-tracker';
import type { DeviceLive } from './device-live';

/** The texts and test ids of one refresh button; `running` is also its `data-phase` while the device works. */
export interface RefreshCopy {
  running: string;
  runningText: string;
  queuedText: string;
  storingText: string;
  doneText: string;
  failedText: string;
  button: string;
  busyButton: string;
  buttonTestId: string;
  statusTestId: string;
}

/**
 * A button that asks the agent to produce something now, follows the command, then polls until
 * the server holds the result before calling `onFresh`: the result travels as its own frame, so
 * it may land just after the command ends, and reloading at the command's end would show stale data.
 * `snapshot` is read when the button is pressed; `isStored` gets it back on every poll.
 */
export function CommandRefresh<S>(props: {
  deviceId: string;
  live: DeviceLive;
  command: CreateCommand;
  copy: RefreshCopy;
  snapshot: () => S;
  isStored: (cmd: TrackedCommand, before: S) => Promise<boolean>;
  onFresh: () => void;
  onCommand?: () => void;
  as?: 'div' | 'span';
  class?: string;
}): JSX.Element {
  const [command, setCommand] = createTrackerSlot();
  const [phase, setPhase] = createSignal<string>('idle');
  let run = 0;
  let before: S;
  onCleanup(() => run++);

  const waitStored = async (cmd: TrackedCommand, mine: number) => {
    setPhase('storing');
    for (let i = 0; i < 40 && mine === run; i++) {
      if (await props.isStored(cmd, before)) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (mine !== run) return;
    setPhase('done');
    props.onFresh();
  };

  // The command's end (from the socket or a poll) starts the wait for the stored result.
  createEffect(
    on(
      () => {
        const c = command();
        return c?.isFinal() ? c : null;
      },
      (c) => {
        if (!c) return;
        if (c.status() === 'succeeded') void waitStored(c, run);
        else setPhase('failed');
      },
    ),
  );

  const start = async () => {
    const mine = ++run;
    before = props.snapshot();
    setPhase(props.copy.running);
    try {
      const cmd = await sendDeviceCommand(props.deviceId, props.live, props.command);
      if (mine !== run) return cmd.dispose();
      setCommand(cmd);
      props.onCommand?.();
    } catch (err) {
      setPhase('idle');
      toastError(err);
    }
  };

  const running = () => phase() === props.copy.running;
  const busy = () => running() || phase() === 'storing';
  const text = (): string => {
    const p = phase();
    if (running()) return command()?.status() === 'queued' ? props.copy.queuedText : props.copy.runningText;
    if (p === 'storing') return props.copy.storingText;
    if (p === 'done') return props.copy.doneText;
    if (p === 'failed') return props.copy.failedText;
    return '';
  };
  return (
    <Dynamic component={props.as ?? 'span'} class={`row gap${props.class ? ` ${props.class}` : ''}`} aria-live="polite">
      <Show when={command()}>
        {(c) => (
          <span data-testid={props.copy.statusTestId} data-phase={phase()}>
            <CommandStatusBadge status={c().status()} />
          </span>
        )}
      </Show>
      <Show when={phase() !== 'idle'}>
        <span class="muted small" classList={{ 'warn-text': phase() === 'failed' }}>
          {text()}
          {phase() === 'failed' ? ` ${command()?.error() ?? command()?.output() ?? ''}` : ''}
        </span>
      </Show>
      <Show when={can('technician')}>
        <button type="button" class="btn btn-small" data-testid={props.copy.buttonTestId} disabled={busy()} onClick={() => void start()}>
          {busy() ? props.copy.busyButton : props.copy.button}
        </button>
      </Show>
    </Dynamic>
  );
}
