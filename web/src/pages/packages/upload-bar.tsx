import type { JSX } from 'solid-js';
import { formatBytes, formatRate } from '../../lib/format';
import type { UploadProgress } from './upload-parts';

/** Bytes sent of the file, as a bar a screen reader reads as a percentage, with the speed beside it. */
export function UploadBar(props: { progress: UploadProgress; fileName: string }): JSX.Element {
  const p = () => props.progress;
  const pct = () => (p().total ? Math.floor((p().sent / p().total) * 100) : 0);
  return (
    <div class="upload-progress">
      <div
        class="upload-bar"
        role="progressbar"
        aria-label={`Uploading ${props.fileName}`}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow={pct()}
        aria-valuetext={`${pct()} % (${formatBytes(p().sent)} of ${formatBytes(p().total)})`}
        data-testid="upload-progress"
      >
        <span class="upload-fill" style={{ width: `${pct()}%` }} />
      </div>
      <div class="row gap small" aria-live="off">
        <strong data-testid="upload-percent">{pct()} %</strong>
        <span>
          {formatBytes(p().sent)} of {formatBytes(p().total)}
        </span>
        <span class="muted">{formatRate(p().rate)}</span>
        <span class="muted">
          part {p().part} of {p().parts}
        </span>
      </div>
    </div>
  );
}
