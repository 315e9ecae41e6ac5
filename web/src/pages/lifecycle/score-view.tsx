import { Show, type JSX } from 'solid-js';
import { scoreTone, type Grade } from './lifecycle-data';
import './lifecycle.css';

const BADGE: Record<ReturnType<typeof scoreTone>, string> = { ok: 'badge-ok', info: 'badge-info', warn: 'badge-warn', bad: 'badge-bad', muted: '' };
const GRADE_SCORE: Record<Grade, number> = { A: 90, B: 75, C: 60, D: 40, F: 0 };

export function GradeBadge(props: { grade: Grade; testId?: string }): JSX.Element {
  return (
    <span class={`badge ${BADGE[scoreTone(GRADE_SCORE[props.grade])]}`} title={`Health grade ${props.grade}`} data-testid={props.testId}>
      {props.grade}
    </span>
  );
}

const R = 32;
const CIRCUMFERENCE = 2 * Math.PI * R;

/** The health score as a ring filled to its value, with the number and grade inside. */
export function ScoreRing(props: { score: number; grade: Grade }): JSX.Element {
  return (
    <div class={`score-ring tone-${scoreTone(props.score)}`} role="img" aria-label={`Health score ${props.score} of 100, grade ${props.grade}`}>
      <svg viewBox="0 0 76 76" aria-hidden="true">
        <circle class="score-ring-track" cx="38" cy="38" r={R} />
        <circle class="score-ring-fill" cx="38" cy="38" r={R} stroke-dasharray={`${(CIRCUMFERENCE * Math.max(0, Math.min(100, props.score))) / 100} ${CIRCUMFERENCE}`} />
      </svg>
      <div class="score-ring-text" aria-hidden="true">
        <span class="score-ring-value" data-testid="lifecycle-score">
          {props.score}
        </span>
        <span class="small muted">grade {props.grade}</span>
      </div>
    </div>
  );
}

/** A compact 0–100 bar with its number, for table cells; null shows as "n/a". */
export function ScoreBar(props: { score: number | null; label?: string }): JSX.Element {
  return (
    <span class={`score-cell bar-${scoreTone(props.score) === 'muted' ? 'info' : scoreTone(props.score)}`}>
      <span class="bar-track" aria-hidden="true">
        <Show when={props.score !== null}>
          <span class="bar-fill" style={{ width: `${props.score}%` }} />
        </Show>
      </span>
      <span class="bar-value" aria-label={props.label}>
        {props.score ?? 'n/a'}
      </span>
    </span>
  );
}
