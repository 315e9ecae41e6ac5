import { A } from '@solidjs/router';
import { createResource, For, Show, type JSX } from 'solid-js';
import { describeFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import { Empty, Loading } from '../../components/feedback';
import { loadDeviceLifecycle, scoreTone, type DeviceLifecycle } from '../lifecycle/lifecycle-data';
import { ScoreRing } from '../lifecycle/score-view';

const SOURCE: Record<NonNullable<DeviceLifecycle['sinceSource']>, string> = { purchase: 'purchase', warranty: 'warranty start', firmware: 'firmware date' };

/**
 * A device's health score (ring and grade), what each component saw, its age and when to
 * replace it. Details quote agent text (disk models, mount points): text nodes only.
 */
export function LifecycleCard(props: { deviceId: string }): JSX.Element {
  const [view] = createResource(() => props.deviceId, loadDeviceLifecycle);
  return (
    <section class="panel" data-testid="lifecycle-card">
      <div class="panel-head">
        <h2>Lifecycle</h2>
        <span class="spacer" />
        <A href="/reports/lifecycle" class="small">
          Fleet report
        </A>
      </div>
      <Show when={!view.error} fallback={<Empty>Could not load the lifecycle: {describeFailure(view.error)}</Empty>}>
        <Show when={settled(view)} fallback={<Loading />}>
          {(l) => (
            <>
              <div class="lifecycle-head">
                <ScoreRing score={l().score} grade={l().grade} />
                <dl class="facts">
                  <dt>Age</dt>
                  <dd data-testid="lifecycle-age">
                    <Show when={l().ageYears !== null && l().since} fallback={<span class="muted">unknown</span>}>
                      {l().ageYears} years <span class="muted small">since {SOURCE[l().sinceSource!]} {l().since}</span>
                    </Show>
                  </dd>
                  <dt>Replace by</dt>
                  <dd>
                    <span class="mono" data-testid="lifecycle-replace-by">
                      {l().replaceBy ?? '—'}
                    </span>
                    <div class="muted small" data-testid="lifecycle-replace-reason">
                      {l().replaceReason}
                    </div>
                  </dd>
                </dl>
              </div>
              <ul class="lifecycle-parts" data-testid="lifecycle-components">
                <For each={l().components}>
                  {(c) => (
                    <li class="lifecycle-part" classList={{ 'is-absent': c.score === null }} data-testid={`lifecycle-part-${c.key}`}>
                      <div class={`bar bar-${scoreTone(c.score) === 'muted' ? 'info' : scoreTone(c.score)}`}>
                        <span class="bar-label ellipsis-line" title={c.score === null ? 'not counted' : `weight ${Math.round(c.weight * 100)} %`}>
                          {c.label}
                        </span>
                        <span class="bar-track" aria-hidden="true">
                          <Show when={c.score !== null}>
                            <span class="bar-fill" style={{ width: `${c.score}%` }} />
                          </Show>
                        </span>
                        <span class="bar-value">{c.score ?? 'n/a'}</span>
                      </div>
                      <p class="lifecycle-part-detail muted small">{c.detail}</p>
                    </li>
                  )}
                </For>
              </ul>
            </>
          )}
        </Show>
      </Show>
    </section>
  );
}
