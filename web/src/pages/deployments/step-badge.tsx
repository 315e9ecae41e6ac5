import { Show, type JSX } from 'solid-js';
import { STEP_LABEL, STEP_TONE, type Step } from '../../state/deployments';

/** Where a device is in its deployment; while downloading, how far the download got. */
export function StepBadge(props: { step: Step; progress: number | null }): JSX.Element {
  const pct = () => Math.max(0, Math.min(100, Math.round(props.progress ?? 0)));
  return (
    <span class="step-cell">
      <span class={`badge badge-${STEP_TONE[props.step]}`} data-testid="deploy-step" data-step={props.step}>
        {STEP_LABEL[props.step]}
      </span>
      <Show when={props.step === 'downloading' && props.progress !== null}>
        <span class="step-bar" role="progressbar" aria-label="Download" aria-valuemin="0" aria-valuemax="100" aria-valuenow={pct()} data-testid="deploy-download">
          <span class="step-fill" style={{ width: `${pct()}%` }} />
        </span>
        <span class="muted small">{pct()} %</span>
      </Show>
    </span>
  );
}
