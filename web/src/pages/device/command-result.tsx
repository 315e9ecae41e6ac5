import { createEffect, createMemo, on, onCleanup, Show, type JSX } from 'solid-js';
import { formatMs } from '../../lib/format';
import { trackCommand, type Command, type TrackedCommand } from './command-tracker';
import { openDeviceLive } from './device-live';
import { CommandData, hasData } from './command-data';
import { COMMAND_TONE } from './command-status';
import { api, call } from '../../api/client';
import { createAction } from '../../lib/action';
import { can } from '../../state/session';

/**
 * Status, exit code and output of one command. Output is a text node inside <pre>, never HTML;
 * a data result (process list, file, registry key) shows as a table instead.
 */
export function CommandResult(props: { command: TrackedCommand }): JSX.Element {
  let pre!: HTMLPreElement;
  const c = () => props.command;
  const data = createMemo(() => c().isFinal() && hasData(c().type(), c().status(), c().output()));

  // Follow the tail while output streams, unless the reader scrolled up to read.
  createEffect(
    on(
      () => c().output(),
      () => {
        const nearBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 48;
        if (nearBottom) queueMicrotask(() => (pre.scrollTop = pre.scrollHeight));
      },
    ),
  );

  return (
    <div class="command-result">
      <div class="row gap command-meta">
        <Show
          when={c().isFinal()}
          fallback={
            <span class="badge badge-info" data-testid="command-progress">
              <span class="spinner" aria-hidden="true" /> {c().status()}
            </span>
          }
        >
          <span class={`badge badge-${COMMAND_TONE[c().status()] ?? 'info'}`} data-testid="command-status">
            {c().status()}
          </span>
        </Show>
        <Show when={c().exitCode() !== null}>
          <span class="muted" data-testid="command-exit-code">
            exit code {c().exitCode()}
          </span>
        </Show>
        <Show when={c().durationMs() !== null}>
          <span class="muted">{formatMs(c().durationMs())}</span>
        </Show>
        <Show when={c().truncated()}>
          <span class="badge badge-warn">output truncated</span>
        </Show>
        <Show when={c().status() === 'queued' && can('technician')}>
          <CancelQueued id={c().id} />
        </Show>
        <span class="spacer" />
        <span class="muted mono small">{c().id}</span>
      </div>
      <Show when={c().error()}>{(err) => <div class="form-error">{err()}</div>}</Show>
      <Show when={data()}>
        <CommandData type={c().type()!} status={c().status()} output={c().output()} commandId={c().id} />
      </Show>
      <pre class="output" data-testid="script-output" ref={pre} hidden={data()}>
        {c().output()}
      </pre>
    </div>
  );
}

/* Only a command still waiting in its device's queue can be withdrawn; the new status arrives live. */
function CancelQueued(props: { id: string }): JSX.Element {
  const cancel = createAction(() => call(api.commands[':id'].cancel.$post({ param: { id: props.id } })));
  return (
    <>
      <button type="button" class="btn btn-small" data-testid="command-cancel" disabled={cancel.pending()} onClick={() => void cancel.run()}>
        Cancel
      </button>
      <Show when={cancel.failure()}>{(f) => <span class="form-error">{f().message}</span>}</Show>
    </>
  );
}

/** One command of any device, followed on that device's socket for as long as it is shown. */
export function FollowCommand(props: { deviceId: string; command: Pick<Command, 'id' | 'status'> & Partial<Command> }): JSX.Element {
  const live = openDeviceLive(props.deviceId);
  const tracked = trackCommand(live, props.command);
  onCleanup(() => tracked.dispose());
  return <CommandResult command={tracked} />;
}
