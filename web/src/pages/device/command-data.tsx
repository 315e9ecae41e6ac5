import { createMemo, For, Match, Show, Switch, type JSX } from 'solid-js';
import * as v from 'valibot';
import { FetchFileResult, PowerResult, ProcessListResult, RegistryReadResult } from '../../../../protocol/command';
import { formatBytes, formatDateTime } from '../../lib/format';

/** The JSON document a data command printed, checked against its shape; null for anything else. */
export function parseResult<S extends v.GenericSchema>(schema: S, output: string): v.InferOutput<S> | null {
  try {
    const r = v.safeParse(schema, JSON.parse(output));
    return r.success ? r.output : null;
  } catch {
    return null;
  }
}

export function ProcessTable(props: { result: v.InferOutput<typeof ProcessListResult>; action?: (p: v.InferOutput<typeof ProcessListResult>['processes'][number]) => JSX.Element }): JSX.Element {
  return (
    <table class="table" data-testid="process-list-table">
      <thead>
        <tr>
          <th>Name</th>
          <th class="num">PID</th>
          <th>User</th>
          <th class="num">CPU</th>
          <th class="num">Memory</th>
          <th class="col-wide">Command</th>
          <Show when={props.action}>
            <th />
          </Show>
        </tr>
      </thead>
      <tbody>
        <For each={props.result.processes}>
          {(p) => (
            <tr data-testid="process-list-row">
              <td class="mono">{p.name}</td>
              <td class="num mono">{p.pid}</td>
              <td>{p.user ?? ''}</td>
              <td class="num">{p.cpuPercent === null ? '' : `${p.cpuPercent.toFixed(1)} %`}</td>
              <td class="num">{p.memBytes === null ? '' : formatBytes(p.memBytes)}</td>
              <td class="mono small ellipsis" title={p.command ?? ''}>
                {p.command ?? ''}
              </td>
              <Show when={props.action}>{(a) => <td class="actions">{a()(p)}</td>}</Show>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

const SHAPES: Record<string, v.GenericSchema> = {
  process_list: ProcessListResult,
  fetch_file: FetchFileResult,
  registry_read: RegistryReadResult,
  power: PowerResult,
  power_cancel: PowerResult,
};

/** True when a finished command's output is one of the data shapes, so a table replaces the raw text. */
export function hasData(type: string | null, status: string, output: string): boolean {
  const shape = type ? SHAPES[type] : undefined;
  return status === 'succeeded' && !!shape && parseResult(shape, output) !== null;
}

/**
 * Results that are data (process list, fetched file, registry key, power schedule) as tables
 * and links. Every value came from the agent: text nodes only.
 */
export function CommandData(props: { type: string; status: string; output: string; commandId: string }): JSX.Element {
  const ok = () => props.status === 'succeeded';
  const processes = createMemo(() => (ok() && props.type === 'process_list' ? parseResult(ProcessListResult, props.output) : null));
  const file = createMemo(() => (ok() && props.type === 'fetch_file' ? parseResult(FetchFileResult, props.output) : null));
  const registry = createMemo(() => (ok() && props.type === 'registry_read' ? parseResult(RegistryReadResult, props.output) : null));
  const power = createMemo(() => (ok() && (props.type === 'power' || props.type === 'power_cancel') ? parseResult(PowerResult, props.output) : null));
  return (
    <Switch>
      <Match when={processes()}>{(r) => <ProcessTable result={r()} />}</Match>
      <Match when={file()}>
        {(f) => (
          <div class="row gap" data-testid="fetched-file">
            <a class="btn btn-primary" href={`/api/v1/commands/${props.commandId}/file`} download="" data-testid="fetched-file-download">
              Download
            </a>
            <span class="mono">{f().path}</span>
            <span class="muted">{formatBytes(f().size)}</span>
            <span class="muted mono small" title="SHA-256">
              {f().sha256.slice(0, 16)}…
            </span>
          </div>
        )}
      </Match>
      <Match when={registry()}>
        {(r) => (
          <div data-testid="registry-result">
            <p class="mono small">{r().key}</p>
            <table class="table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Type</th>
                  <th class="col-wide">Data</th>
                </tr>
              </thead>
              <tbody>
                <For each={r().values} fallback={<tr><td colSpan={3} class="muted">No values.</td></tr>}>
                  {(val) => (
                    <tr>
                      <td class="mono">{val.name || '(Default)'}</td>
                      <td class="mono small">{val.type}</td>
                      <td class="mono small">{val.data}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <Show when={r().subkeys.length}>
              <p class="small">
                Subkeys: <span class="mono">{r().subkeys.join(', ')}</span>
              </p>
            </Show>
          </div>
        )}
      </Match>
      <Match when={power()}>
        {(p) => (
          <p data-testid="power-result">
            <Show when={p().action !== 'cancel'} fallback={p().message || 'Cancelled.'}>
              {p().action} scheduled for {formatDateTime(p().at)}
              <Show when={p().message}> — “{p().message}”</Show>
            </Show>
          </p>
        )}
      </Match>
    </Switch>
  );
}
