import { For, Show, type JSX } from 'solid-js';
import type { MetricsSample } from '../../../../protocol/metrics';
import { formatBytes, percent } from '../../lib/format';
import { Empty } from '../../components/feedback';

/** Volumes and signed-in users from the latest sample. */
export function DeviceInventory(props: { sample: MetricsSample | null }): JSX.Element {
  return (
    <section class="panel">
      <div class="panel-head">
        <h2>Volumes</h2>
      </div>
      <Show when={props.sample?.volumes.length} fallback={<Empty>No volume data yet.</Empty>}>
        <table class="table" data-testid="volumes">
          <thead>
            <tr>
              <th>Mount</th>
              <th>FS</th>
              <th class="num">Size</th>
              <th class="num">Used</th>
              <th class="usage-col">Usage</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.sample!.volumes}>
              {(v) => {
                const pct = () => percent(v.usedBytes, v.sizeBytes);
                return (
                  <tr>
                    <td class="mono ellipsis">{v.mount}</td>
                    <td>{v.fs ?? ''}</td>
                    <td class="num">{formatBytes(v.sizeBytes)}</td>
                    <td class="num">{formatBytes(v.usedBytes)}</td>
                    <td>
                      <div class="meter" classList={{ 'meter-warn': pct() >= 80, 'meter-bad': pct() >= 90 }}>
                        <div class="meter-fill" style={{ width: `${pct()}%` }} />
                        <span class="meter-label">{pct().toFixed(0)}%</span>
                      </div>
                    </td>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
      </Show>
      <div class="panel-head panel-subhead">
        <h2>Signed-in users</h2>
      </div>
      <Show when={props.sample?.users.length} fallback={<Empty>Nobody is signed in.</Empty>}>
        <ul class="chips" data-testid="logged-in-users">
          <For each={props.sample!.users}>{(u) => <li class="chip">{u}</li>}</For>
        </ul>
      </Show>
    </section>
  );
}
