import { createEffect, createSignal, on, onCleanup, Show, type JSX } from 'solid-js';
import { CollectInventoryResult } from '../../../../protocol/command';
import { can } from '../../state/session';
import { toastError } from '../../state/toasts';
import { parseResult } from './command-data';
import { CommandStatusBadge } from './command-status';
import { sendDeviceCommand } from './device-command';
import { createTrackerSlot, type TrackedCommand } from './command-tracker';
import type { DeviceLive } from './device-live';
import { loadInventory } from './inventory-data';

type Phase = 'idle' | 'collecting' | 'storing' | 'done' | 'failed';
const PHASE_TEXT: Record<Phase, string> = {
  idle: '',
  collecting: 'Collecting on the device…',
  storing: 'Waiting for the server to store it…',
  done: 'Inventory is up to date.',
  failed: 'The device did not collect its inventory.',
};

/**
 * "Refresh inventory": asks the agent to collect now, follows the command, then waits until
 * the server holds the snapshot the agent named (its hash) before telling the tabs to reload.
 */
export function InventoryRefresh(props: { deviceId: string; live: DeviceLive; hash: string | null; onFresh: () => void }): JSX.Element {
  const [command, setCommand] = createTrackerSlot();
  const [phase, setPhase] = createSignal<Phase>('idle');
  let run = 0;
  onCleanup(() => run++);

  const waitStored = async (cmd: TrackedCommand, before: string | null, mine: number) => {
    setPhase('storing');
    for (let i = 0; i < 40 && mine === run; i++) {
      const result = parseResult(CollectInventoryResult, cmd.output());
      const hash = (await loadInventory(props.deviceId).catch(() => null))?.inventory?.hash ?? null;
      if (result ? hash === result.hash : hash !== before && hash !== null) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (mine !== run) return;
    setPhase('done');
    props.onFresh();
  };

  // The command's end (from the socket or a poll) starts the wait for the stored snapshot.
  let before: string | null = null;
  createEffect(
    on(
      () => {
        const c = command();
        return c?.isFinal() ? c : null;
      },
      (c) => {
        if (!c) return;
        if (c.status() === 'succeeded') void waitStored(c, before, run);
        else setPhase('failed');
      },
    ),
  );

  const start = async () => {
    const mine = ++run;
    before = props.hash;
    setPhase('collecting');
    try {
      const cmd = await sendDeviceCommand(props.deviceId, props.live, { type: 'collect_inventory', params: {} });
      if (mine !== run) return cmd.dispose();
      setCommand(cmd);
    } catch (err) {
      setPhase('idle');
      toastError(err);
    }
  };

  const busy = () => phase() === 'collecting' || phase() === 'storing';
  return (
    <div class="row gap inventory-refresh" aria-live="polite">
      <Show when={command()}>
        {(c) => (
          <span data-testid="inventory-refresh-status" data-phase={phase()}>
            <CommandStatusBadge status={c().status()} />
          </span>
        )}
      </Show>
      <Show when={phase() !== 'idle'}>
        <span class="muted small" classList={{ 'warn-text': phase() === 'failed' }}>
          {phase() === 'collecting' && command()?.status() === 'queued' ? 'Queued: the device collects once it is online.' : PHASE_TEXT[phase()]}
          {phase() === 'failed' ? ` ${command()?.error() ?? command()?.output() ?? ''}` : ''}
        </span>
      </Show>
      <Show when={can('technician')}>
        <button type="button" class="btn btn-small" data-testid="refresh-inventory" disabled={busy()} onClick={() => void start()}>
          {busy() ? 'Refreshing…' : 'Refresh inventory'}
        </button>
      </Show>
    </div>
  );
}
