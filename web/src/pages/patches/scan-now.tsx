import { createEffect, createSignal, on, onCleanup, Show, type JSX } from 'solid-js';
import { PatchScan } from '../../../../protocol/patches';
import { can } from '../../state/session';
import { toastError } from '../../state/toasts';
import { loadDevicePatches } from '../../state/patches';
import { parseResult } from '../device/command-data';
import { CommandStatusBadge } from '../device/command-status';
import { sendDeviceCommand } from '../device/device-command';
import { createTrackerSlot, type TrackedCommand } from '../device/command-tracker';
import type { DeviceLive } from '../device/device-live';

type Phase = 'idle' | 'scanning' | 'storing' | 'done' | 'failed';
const PHASE_TEXT: Record<Phase, string> = {
  idle: '',
  scanning: 'Scanning on the device…',
  storing: 'Waiting for the server to store the scan…',
  done: 'Scan is up to date.',
  failed: 'The device did not scan.',
};

/**
 * "Scan now": asks the agent to scan, follows the command, then waits until the server holds a
 * scan at least as new as the one the agent reported before telling the tab to reload (the
 * scan travels as its own frame, so it may land just after the command ends).
 */
export function ScanNow(props: { deviceId: string; live: DeviceLive; scannedAt: number | null; onFresh: () => void; onCommand?: () => void }): JSX.Element {
  const [command, setCommand] = createTrackerSlot();
  const [phase, setPhase] = createSignal<Phase>('idle');
  let run = 0;
  let before: number | null = null;
  onCleanup(() => run++);

  const waitStored = async (cmd: TrackedCommand, mine: number) => {
    setPhase('storing');
    const reported = parseResult(PatchScan, cmd.output())?.scannedAt ?? null;
    for (let i = 0; i < 40 && mine === run; i++) {
      const stored = (await loadDevicePatches(props.deviceId).catch(() => null))?.scannedAt ?? null;
      if (stored !== null && (reported !== null ? stored >= reported : stored !== before)) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (mine !== run) return;
    setPhase('done');
    props.onFresh();
  };

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
    before = props.scannedAt;
    setPhase('scanning');
    try {
      const cmd = await sendDeviceCommand(props.deviceId, props.live, { type: 'scan_patches', params: {} });
      if (mine !== run) return cmd.dispose();
      setCommand(cmd);
      props.onCommand?.();
    } catch (err) {
      setPhase('idle');
      toastError(err);
    }
  };

  const busy = () => phase() === 'scanning' || phase() === 'storing';
  return (
    <span class="row gap" aria-live="polite">
      <Show when={command()}>
        {(c) => (
          <span data-testid="scan-status" data-phase={phase()}>
            <CommandStatusBadge status={c().status()} />
          </span>
        )}
      </Show>
      <Show when={phase() !== 'idle'}>
        <span class="muted small" classList={{ 'warn-text': phase() === 'failed' }}>
          {phase() === 'scanning' && command()?.status() === 'queued' ? 'Queued: the device scans once it is online.' : PHASE_TEXT[phase()]}
          {phase() === 'failed' ? ` ${command()?.error() ?? command()?.output() ?? ''}` : ''}
        </span>
      </Show>
      <Show when={can('technician')}>
        <button type="button" class="btn btn-small" data-testid="scan-now" disabled={busy()} onClick={() => void start()}>
          {busy() ? 'Scanning…' : 'Scan now'}
        </button>
      </Show>
    </span>
  );
}
