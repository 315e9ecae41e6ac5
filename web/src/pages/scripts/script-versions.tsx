import { createEffect, createResource, createSignal, For, on, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { formatDateTime } from '../../lib/format';
import { settled } from '../../lib/resource';
import { loadVersions, type ScriptVersion } from '../../state/scripts';
import { DiffView } from '../../components/diff-view';
import { Empty, Loading } from '../../components/feedback';

/** Parameters as text, so a changed parameter shows up in the same diff as the body. */
function paramsText(v: ScriptVersion): string {
  return v.params.map((p) => JSON.stringify(p)).join('\n');
}

/** Every version of a script; pick two (A older, B newer by default) to see what changed. */
export function ScriptVersions(props: { scriptId: string; latest: number }): JSX.Element {
  const [versions] = createResource(() => [props.scriptId, props.latest] as const, ([id]) => loadVersions(id));
  const [a, setA] = createSignal<number | null>(null);
  const [b, setB] = createSignal<number | null>(null);
  const [mode, setMode] = createSignal<'unified' | 'split'>('unified');

  createEffect(
    on(
      () => settled(versions),
      (list) => {
        if (!list?.length) return;
        setB(list[0]!.version);
        setA(list[1]?.version ?? list[0]!.version);
      },
    ),
  );
  const pick = (n: number | null) => settled(versions)?.find((v) => v.version === n);

  return (
    <Show when={!versions.error} fallback={<Empty>Could not load versions: {describeFailure(versions.error)}</Empty>}>
      <Show when={settled(versions)} fallback={<Loading label="Loading versions…" />}>
        {(list) => (
          <div class="stack">
            <section class="panel">
              <table class="table" data-testid="versions-table">
                <thead>
                  <tr>
                    <th title="Compare from">A</th>
                    <th title="Compare to">B</th>
                    <th class="num">Version</th>
                    <th class="col-wide">Note</th>
                    <th>By</th>
                    <th>When</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={list()}>
                    {(v) => (
                      <tr data-testid="version-row">
                        <td>
                          <input type="radio" name="diff-a" aria-label={`Compare from version ${v.version}`} checked={a() === v.version} onChange={() => setA(v.version)} />
                        </td>
                        <td>
                          <input type="radio" name="diff-b" aria-label={`Compare to version ${v.version}`} checked={b() === v.version} onChange={() => setB(v.version)} />
                        </td>
                        <td class="num mono">v{v.version}</td>
                        <td>{v.note}</td>
                        <td>{v.createdByName ?? (v.createdBy ? v.createdBy : 'Tether')}</td>
                        <td class="nowrap">{formatDateTime(v.createdAt)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </section>
            <Show when={pick(a()) && pick(b()) ? ([pick(a())!, pick(b())!] as const) : null}>
              {(pair) => (
                <section class="panel">
                  <div class="panel-head">
                    <h2>
                      v{pair()[0].version} → v{pair()[1].version}
                    </h2>
                    <span class="spacer" />
                    <div class="segmented" role="group" aria-label="Diff layout">
                      <button type="button" class="btn btn-small" classList={{ 'is-active': mode() === 'unified' }} aria-pressed={mode() === 'unified'} onClick={() => setMode('unified')}>
                        Unified
                      </button>
                      <button type="button" class="btn btn-small" classList={{ 'is-active': mode() === 'split' }} aria-pressed={mode() === 'split'} onClick={() => setMode('split')}>
                        Side by side
                      </button>
                    </div>
                  </div>
                  <DiffView before={pair()[0].body} after={pair()[1].body} mode={mode()} testId="version-diff" />
                  <Show when={paramsText(pair()[0]) !== paramsText(pair()[1])}>
                    <h3 class="small">Parameters</h3>
                    <DiffView before={paramsText(pair()[0])} after={paramsText(pair()[1])} mode={mode()} />
                  </Show>
                </section>
              )}
            </Show>
          </div>
        )}
      </Show>
    </Show>
  );
}
