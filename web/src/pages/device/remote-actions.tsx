import { createSignal, Show, type JSX } from 'solid-js';
import type { CreateCommand } from '../../../../protocol/api/devices';
import { MAX_FETCH_FILE_BYTES, MAX_POWER_DELAY_SECONDS } from '../../../../protocol/limits';
import { createAction } from '../../lib/action';
import { formatBytes } from '../../lib/format';
import { platformOf } from '../../../../protocol/scripts';
import { can } from '../../state/session';
import { Dialog } from '../../components/dialog';
import { Empty, FieldError, FormError } from '../../components/feedback';
import type { DeviceLive } from './device-live';
import { createTrackerSlot } from './command-tracker';
import { CommandPanel } from './command-panel';
import { describeCommand, sendDeviceCommand } from './device-command';

type Power = 'reboot' | 'shutdown' | 'cancel';
const HIVES = ['HKLM', 'HKCU', 'HKU', 'HKCR', 'HKCC'] as const;

type Props = { deviceId: string; hostname: string; osPlatform: string; live: DeviceLive; onCommand: () => void };

/** The Actions tab: remote actions beyond scripts, for technicians and up. */
export default function ActionsTab(props: Props): JSX.Element {
  return can('technician') ? <RemoteActions {...props} /> : <Empty>Your role cannot send commands to devices.</Empty>;
}

/**
 * Power (behind a confirmation), fetch a file, and on Windows read the registry. The last
 * action's result shows above: files as a download link, registry keys as a table.
 */
function RemoteActions(props: Props): JSX.Element {
  const [result, setResult] = createTrackerSlot();
  const [title, setTitle] = createSignal<string | null>(null);
  const [power, setPower] = createSignal<Power | null>(null);
  const [delay, setDelay] = createSignal(60);
  const [message, setMessage] = createSignal('');
  const [path, setPath] = createSignal('');
  const [maxKiB, setMaxKiB] = createSignal(MAX_FETCH_FILE_BYTES / 1024);
  const [hive, setHive] = createSignal<(typeof HIVES)[number]>('HKLM');
  const [key, setKey] = createSignal('SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion');
  const [value, setValue] = createSignal('');
  const windows = () => platformOf(props.osPlatform) === 'windows';

  const send = createAction(async (body: CreateCommand) => {
    const cmd = await sendDeviceCommand(props.deviceId, props.live, body, props.onCommand);
    setTitle(describeCommand(body.type, 'params' in body ? body.params : {}));
    setResult(cmd);
    props.onCommand();
    setPower(null);
  });
  const confirmPower = () => {
    const p = power();
    if (!p) return;
    void send.run(p === 'cancel' ? { type: 'power_cancel', params: {} } : { type: 'power', params: { action: p, delaySeconds: delay(), message: message() } });
  };
  const ask = (p: Power) => {
    send.clear();
    setPower(p);
  };

  return (
    <div class="stack" data-testid="remote-actions">
      <CommandPanel title={title()} command={result()} />
      <section class="panel">
        <div class="panel-head">
          <h2>Power</h2>
        </div>
        <div class="row gap">
          <button type="button" class="btn" data-testid="power-reboot" onClick={() => ask('reboot')}>
            Reboot…
          </button>
          <button type="button" class="btn" data-testid="power-shutdown" onClick={() => ask('shutdown')}>
            Shut down…
          </button>
          <button type="button" class="btn btn-ghost" data-testid="power-cancel" onClick={() => ask('cancel')}>
            Cancel pending…
          </button>
        </div>
      </section>
      <section class="panel">
        <div class="panel-head">
          <h2>Fetch a file</h2>
        </div>
        <form
          class="form form-row action-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (path().trim()) void send.run({ type: 'fetch_file', params: { path: path().trim(), maxBytes: Math.round(maxKiB() * 1024) } });
          }}
        >
          <label class="field grow">
            <span>Absolute path</span>
            <input class="input mono" data-testid="fetch-path" placeholder={windows() ? 'C:\\Windows\\Logs\\CBS\\CBS.log' : '/var/log/syslog'} value={path()} onInput={(e) => setPath(e.currentTarget.value)} />
            <FieldError failure={send.failure()} path="params.path" />
          </label>
          <label class="field">
            <span>Size limit (KiB, at most {formatBytes(MAX_FETCH_FILE_BYTES)})</span>
            <input class="input input-num" type="number" min="1" max={MAX_FETCH_FILE_BYTES / 1024} value={maxKiB()} onInput={(e) => setMaxKiB(Number(e.currentTarget.value) || 1)} />
            <FieldError failure={send.failure()} path="params.maxBytes" />
          </label>
          <button type="submit" class="btn" data-testid="fetch-file" disabled={send.pending() || !path().trim()}>
            Fetch
          </button>
        </form>
      </section>
      <Show when={windows()}>
        <section class="panel">
          <div class="panel-head">
            <h2>Read the registry</h2>
          </div>
          <form
            class="form form-row action-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (key().trim()) void send.run({ type: 'registry_read', params: { hive: hive(), key: key().trim(), ...(value() ? { value: value() } : {}) } });
            }}
          >
            <label class="field">
              <span>Hive</span>
              <select class="input select" onChange={(e) => setHive(e.currentTarget.value as (typeof HIVES)[number])}>
                {HIVES.map((h) => (
                  <option value={h} selected={h === hive()}>
                    {h}
                  </option>
                ))}
              </select>
            </label>
            <label class="field grow">
              <span>Key</span>
              <input class="input mono" data-testid="registry-key" value={key()} onInput={(e) => setKey(e.currentTarget.value)} />
              <FieldError failure={send.failure()} path="params.key" />
            </label>
            <label class="field">
              <span>Value (all when empty)</span>
              <input class="input mono" value={value()} onInput={(e) => setValue(e.currentTarget.value)} />
            </label>
            <button type="submit" class="btn" data-testid="registry-read" disabled={send.pending() || !key().trim()}>
              Read
            </button>
          </form>
        </section>
      </Show>
      <FormError failure={power() ? null : send.failure()} fields={['params.path', 'params.maxBytes', 'params.key']} />
      <Dialog open={!!power()} title={power() === 'cancel' ? 'Cancel pending reboot or shutdown' : power() === 'shutdown' ? 'Shut down' : 'Reboot'} onClose={() => setPower(null)} testId="power-dialog">
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            confirmPower();
          }}
        >
          <Show
            when={power() !== 'cancel'}
            fallback={
              <p>
                Stop a reboot or shutdown scheduled on <strong class="mono">{props.hostname}</strong>?
              </p>
            }
          >
            <p>
              {power() === 'shutdown' ? 'Shut down' : 'Reboot'} <strong class="mono">{props.hostname}</strong>? Logged-in users see the message and lose unsaved work when the delay ends.
            </p>
            <label class="field">
              <span>Delay (seconds)</span>
              <input class="input input-num" type="number" min="0" max={MAX_POWER_DELAY_SECONDS} data-testid="power-delay" value={delay()} onInput={(e) => setDelay(Number(e.currentTarget.value) || 0)} />
              <FieldError failure={send.failure()} path="params.delaySeconds" />
            </label>
            <label class="field">
              <span>Message to users</span>
              <input class="input" maxLength={500} data-testid="power-message" value={message()} onInput={(e) => setMessage(e.currentTarget.value)} />
              <FieldError failure={send.failure()} path="params.message" />
            </label>
          </Show>
          <FormError failure={send.failure()} fields={['params.delaySeconds', 'params.message']} />
          <div class="row gap dialog-actions">
            <button type="submit" class="btn btn-primary danger-fill" data-testid="power-confirm" disabled={send.pending()}>
              {send.pending() ? 'Sending…' : power() === 'cancel' ? 'Cancel it' : power() === 'shutdown' ? 'Shut down' : 'Reboot'}
            </button>
            {/* Focus starts on the harmless choice: a stray Enter must not reboot a machine. */}
            <button type="button" class="btn btn-ghost" onClick={() => setPower(null)} ref={(el) => queueMicrotask(() => el.focus())}>
              Keep running
            </button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
