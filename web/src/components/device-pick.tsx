import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import { allDevicesRaw, deviceById } from '../state/devices';
import { NO_FILTER, queryDevices } from '../pages/devices/device-query';

const SHOWN = 8;

/**
 * One device, found by hostname, name or IP among the loaded ones. Arrows move, Enter
 * picks. Hostnames are agent-reported: text nodes only.
 */
export function DevicePick(props: { value: string; onChange: (id: string) => void; testId: string; disabled?: boolean }): JSX.Element {
  const [q, setQ] = createSignal('');
  const [active, setActive] = createSignal(0);
  const matches = createMemo(() => {
    const needle = q().trim();
    return needle ? queryDevices(allDevicesRaw(), { ...NO_FILTER, q: needle }, { key: 'hostname', desc: false }).slice(0, SHOWN) : [];
  });
  const chosen = () => (props.value ? deviceById(props.value) : undefined);
  const pick = (id: string) => {
    props.onChange(id);
    setQ('');
  };

  return (
    <Show
      when={!props.value}
      fallback={
        <span class="chip" data-testid={`${props.testId}-chosen`}>
          {chosen()?.displayName || chosen()?.hostname || props.value}
          <button type="button" class="chip-remove" aria-label="Choose another device" disabled={props.disabled} onClick={() => props.onChange('')}>
            ×
          </button>
        </span>
      }
    >
      <div class="device-pick">
        <input
          class="input"
          type="search"
          placeholder="Search hostname, name or IP"
          aria-label="Search a device"
          data-testid={props.testId}
          disabled={props.disabled}
          value={q()}
          onInput={(e) => {
            setQ(e.currentTarget.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((i) => Math.max(0, Math.min(matches().length - 1, i + (e.key === 'ArrowDown' ? 1 : -1))));
            } else if (e.key === 'Enter' && matches()[active()]) {
              e.preventDefault();
              pick(matches()[active()]!.id);
            }
          }}
        />
        <Show when={q().trim()}>
          <ul class="pick-list" role="listbox" aria-label="Matching devices">
            <For each={matches()} fallback={<li class="muted">No device matches.</li>}>
              {(d, i) => (
                <li role="option" aria-selected={active() === i()} classList={{ 'is-active': active() === i() }} onMouseEnter={() => setActive(i())} onMouseDown={(e) => (e.preventDefault(), pick(d.id))}>
                  <span class="mono">{d.hostname}</span> <span class="muted">{d.clientName} / {d.siteName}</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </div>
    </Show>
  );
}
