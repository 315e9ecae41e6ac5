import { createMemo, For, Show, type JSX } from 'solid-js';
import { diffLines } from 'diff';
import '../styles/automation.css';

type Kind = 'same' | 'add' | 'del';
interface Line {
  kind: Kind;
  text: string;
  oldNo: number | null;
  newNo: number | null;
}

/** jsdiff's parts split into numbered lines (a part's text ends with its own newline). */
function toLines(before: string, after: string): Line[] {
  const out: Line[] = [];
  let oldNo = 1;
  let newNo = 1;
  for (const part of diffLines(before, after)) {
    const texts = part.value.replace(/\n$/, '').split('\n');
    for (const text of texts) {
      if (part.added) out.push({ kind: 'add', text, oldNo: null, newNo: newNo++ });
      else if (part.removed) out.push({ kind: 'del', text, oldNo: oldNo++, newNo: null });
      else out.push({ kind: 'same', text, oldNo: oldNo++, newNo: newNo++ });
    }
  }
  return out;
}

/** Pairs removed and added runs side by side; unchanged lines sit on both sides. */
function toRows(lines: Line[]): [Line | null, Line | null][] {
  const rows: [Line | null, Line | null][] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.kind === 'same') {
      rows.push([line, line]);
      i++;
      continue;
    }
    const dels: Line[] = [];
    const adds: Line[] = [];
    while (i < lines.length && lines[i]!.kind !== 'same') {
      const l = lines[i++]!;
      (l.kind === 'del' ? dels : adds).push(l);
    }
    for (let k = 0; k < Math.max(dels.length, adds.length); k++) rows.push([dels[k] ?? null, adds[k] ?? null]);
  }
  return rows;
}

const SIGN: Record<Kind, string> = { same: ' ', add: '+', del: '-' };

/** Two texts compared line by line; every line is a text node, so script text can never become markup. */
export function DiffView(props: { before: string; after: string; mode: 'unified' | 'split'; testId?: string }): JSX.Element {
  const lines = createMemo(() => toLines(props.before, props.after));
  const changed = () => lines().some((l) => l.kind !== 'same');
  return (
    <div class="diff" data-testid={props.testId}>
      <Show when={changed()} fallback={<p class="muted">The two versions have the same text.</p>}>
        <Show
          when={props.mode === 'split'}
          fallback={
            <table class="diff-table">
              <tbody>
                <For each={lines()}>
                  {(l) => (
                    <tr class={`diff-${l.kind}`} data-diff={l.kind}>
                      <td class="diff-no">{l.oldNo ?? ''}</td>
                      <td class="diff-no">{l.newNo ?? ''}</td>
                      <td class="diff-sign">{SIGN[l.kind]}</td>
                      <td class="diff-text">{l.text}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          }
        >
          <table class="diff-table diff-split">
            <tbody>
              <For each={toRows(lines())}>
                {([left, right]) => (
                  <tr>
                    <td class="diff-no">{left?.oldNo ?? ''}</td>
                    <td class={`diff-text diff-${left?.kind ?? 'none'}`} data-diff={left?.kind ?? 'none'}>
                      {left ? `${SIGN[left.kind]} ${left.text}` : ''}
                    </td>
                    <td class="diff-no">{right?.newNo ?? ''}</td>
                    <td class={`diff-text diff-${right?.kind ?? 'none'}`} data-diff={right?.kind ?? 'none'}>
                      {right ? `${SIGN[right.kind]} ${right.text}` : ''}
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      </Show>
    </div>
  );
}
