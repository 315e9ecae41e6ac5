import { createEffect, createSignal, For, on, Show, type JSX } from 'solid-js';
import { InstallPatchesResult } from '../../../../protocol/patches';
import { createAction } from '../../lib/action';
import { formatDateTime } from '../../lib/format';
import { can } from '../../state/session';
import { REBOOT_LABEL, REBOOTS, type Reboot } from '../../state/patches';
import { Dialog } from '../../components/dialog';
import { FormError } from '../../components/feedback';
import { parseResult } from '../device/command-data';
import { CommandStatusBadge } from '../device/command-status';
import { sendDeviceCommand } from '../device/device-command';
import { createTrackerSlot } from '../device/command-tracker';
import type { DeviceLive } from '../device/device-live';

/** What an install did, in one line. */
function summary(output: string): string | null {
  const r = parseResult(InstallPatchesResult, output);
  if (!r) return null;
  const parts = [`${r.installed.length} installed`];
  if (r.failed.length) parts.push(`${r.failed.length} failed (${r.failed[0]!.key}: ${r.failed[0]!.error})`);
  if (r.notApplicable) parts.push(`${r.notApplicable} not needed`);
  if (r.rebootAt) parts.push(`reboot at ${formatDateTime(r.rebootAt)}`);
  else if (r.rebootRequired) parts.push('reboot required');
  return parts.join(' · ');
}

/**
 * "Install approved now": the updates approved for this device when the server signs the
 * command, then a reboot by the chosen policy. Asks first: it changes the device.
 */
export function InstallApproved(props: { deviceId: string; live: DeviceLive; approved: number; onDone: () => void; onCommand?: () => void }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const [reboot, setReboot] = createSignal<Reboot>('if_needed');
  const [notice, setNotice] = createSignal(15);
  const [deferrals, setDeferrals] = createSignal(2);
  const [command, setCommand] = createTrackerSlot();

  const install = createAction(async () => {
    const cmd = await sendDeviceCommand(props.deviceId, props.live, { type: 'install_patches', reboot: reboot(), noticeMinutes: notice(), maxDeferrals: deferrals() });
    setCommand(cmd);
    setOpen(false);
    props.onCommand?.();
  });
  createEffect(on(() => command()?.isFinal() ?? false, (final) => final && props.onDone(), { defer: true }));

  const bounded = (v: string, max: number) => Math.max(0, Math.min(max, Math.floor(Number(v) || 0)));
  return (
    <>
      <Show when={command()}>
        {(c) => (
          <span class="row gap" data-testid="install-status" aria-live="polite">
            <CommandStatusBadge status={c().status()} />
            <span class="muted small">{c().isFinal() ? (summary(c().output()) ?? c().error() ?? '') : c().status() === 'queued' ? 'Queued: installs once the device is online.' : 'Installing…'}</span>
          </span>
        )}
      </Show>
      <Show when={can('technician')}>
        <button
          type="button"
          class="btn btn-small btn-primary"
          data-testid="install-approved"
          disabled={!props.approved || (!!command() && !command()!.isFinal())}
          title={props.approved ? undefined : 'No update is approved for this device'}
          onClick={() => setOpen(true)}
        >
          Install approved now ({props.approved})
        </button>
      </Show>
      <Dialog open={open()} title="Install approved updates" onClose={() => setOpen(false)} testId="install-dialog">
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void install.run();
          }}
        >
          <p>
            Installs the {props.approved} update{props.approved === 1 ? '' : 's'} approved for this device now. Updates approved or declined meanwhile count as they stand when the
            command is sent.
          </p>
          <label class="field">
            <span>Reboot</span>
            <select class="input select" data-testid="install-reboot" onChange={(e) => setReboot(e.currentTarget.value as Reboot)}>
              <For each={REBOOTS}>{(r) => <option value={r} selected={reboot() === r}>{REBOOT_LABEL[r]}</option>}</For>
            </select>
          </label>
          <Show when={reboot() !== 'never'}>
            <div class="row gap">
              <label class="field">
                <span>Warn the user (minutes ahead)</span>
                <input class="input input-num" type="number" min="0" max="240" value={notice()} onInput={(e) => setNotice(bounded(e.currentTarget.value, 240))} />
              </label>
              <label class="field">
                <span>User may put it off (times)</span>
                <input class="input input-num" type="number" min="0" max="10" value={deferrals()} onInput={(e) => setDeferrals(bounded(e.currentTarget.value, 10))} />
              </label>
            </div>
          </Show>
          <FormError failure={install.failure()} />
          <div class="row gap">
            <button type="submit" class="btn btn-primary" data-testid="install-confirm" disabled={install.pending()}>
              {install.pending() ? 'Sending…' : 'Install now'}
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
