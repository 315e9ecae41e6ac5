import { For, Show, type JSX } from 'solid-js';

export interface MiniColumn<T> {
  label: string;
  /** Text for the cell, or an element (a badge) built from text nodes. */
  cell: (row: T) => JSX.Element;
  num?: boolean;
  mono?: boolean;
}

/** A small read-only table for a list of reported parts (modules, disks, adapters…). */
export function MiniTable<T>(props: { rows: T[]; columns: MiniColumn<T>[]; testId?: string; rowTestId?: string; empty?: string }): JSX.Element {
  return (
    <Show when={props.rows.length} fallback={<span class="muted small">{props.empty ?? 'None reported.'}</span>}>
      <table class="table table-compact" data-testid={props.testId}>
        <thead>
          <tr>
            <For each={props.columns}>{(c) => <th classList={{ num: !!c.num }}>{c.label}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(row) => (
              <tr data-testid={props.rowTestId}>
                <For each={props.columns}>{(c) => <td classList={{ num: !!c.num, mono: !!c.mono }}>{c.cell(row)}</td>}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}
