import { createEffect, createMemo, createSignal, For, on, Show, type JSX } from 'solid-js';
import { createAction } from '../../lib/action';
import { allDevicesRaw, deviceById } from '../../state/devices';
import { addMembers } from '../../state/groups';
import { showToast } from '../../state/toasts';
import { FormError } from '../../components/feedback';
import { NO_FILTER, queryDevices } from '../devices/device-query';

const SHOWN = 50;
const CHIPS = 20;

/**
 * Find devices by hostname, name or IP among those already loaded, pick several, add them
 * in one go. Arrows move through the matches, Enter picks, Ctrl+Enter adds.
 */
export function AddMembers(props: { groupId: string; memberIds: Set<string>; onAdded: () => void }): JSX.Element {
  const [q, setQ] = createSignal('');
  const [picked, setPicked] = createSignal<string[]>([]);
  const [active, setActive] = createSignal(0);
  const isPicked = createMemo(() => new Set(picked()));

  const matches = createMemo(() => {
    const needle = q().trim();
    if (!needle) return [];
    return queryDevices(allDevicesRaw(), { ...NO_FILTER, q: needle }, { key: 'hostname', desc: false }).filter((d) => !props.memberIds.has(d.id));
  });
  const shown = () => matches().slice(0, SHOWN);
  createEffect(on(matches, () => setActive(0), { defer: true }));

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  const pickAll = () => setPicked((p) => [...new Set([...p, ...matches().map((d) => d.id)])]);

  const add = createAction(async () => {
    const added = await addMembers(props.groupId, picked());
    showToast(added === 0 ? 'Those devices were already in the group' : `Added ${added} ${added === 1 ? 'device' : 'devices'}`);
    setPicked([]);
    setQ('');
    props.onAdded();
  });

  const onKey = (e: KeyboardEvent) => {
    const last = shown().length - 1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, Math.min(last, i + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (picked().length) void add.run();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const d = shown()[active()];
      if (d) toggle(d.id);
    } else if (e.key === 'Escape' && q()) {
      setQ('');
    }
  };

  return (
    <section class="panel" data-testid="add-members">
      <div class="panel-head">
        <h2>Add devices</h2>
        <span class="muted">
          <kbd>↑</kbd>/<kbd>↓</kbd> move · <kbd>Enter</kbd> picks · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> adds
        </span>
      </div>
      <div class="row gap">
        <input
          class="input grow"
          type="search"
          placeholder="Search hostname, name or IP"
          aria-label="Search devices to add"
          data-testid="member-search"
          value={q()}
          onInput={(e) => setQ(e.currentTarget.value)}
          onKeyDown={onKey}
        />
        <Show when={matches().length > 1}>
          <button type="button" class="btn" onClick={pickAll}>
            Pick all {matches().length.toLocaleString()}
          </button>
        </Show>
      </div>
      <Show when={q().trim()}>
        <ul class="pick-list" aria-label="Matching devices">
          <For each={shown()} fallback={<li class="muted">No devices outside this group match.</li>}>
            {(d, i) => (
              <li classList={{ 'is-active': active() === i() }} onMouseEnter={() => setActive(i())}>
                <label class="check">
                  <input type="checkbox" data-testid="member-candidate" checked={isPicked().has(d.id)} onChange={() => toggle(d.id)} />
                  <span class="mono">{d.hostname}</span>
                  <Show when={d.displayName}>{(name) => <span>{name()}</span>}</Show>
                  <span class="muted">
                    {d.clientName} / {d.siteName} · {(d.ipAddresses ?? [])[0] ?? ''}
                  </span>
                </label>
              </li>
            )}
          </For>
          <Show when={matches().length > SHOWN}>
            <li class="muted">{(matches().length - SHOWN).toLocaleString()} more: narrow the search, or pick all.</li>
          </Show>
        </ul>
      </Show>
      <Show when={picked().length}>
        <ul class="chips" data-testid="picked-devices">
          <For each={picked().slice(0, CHIPS)}>
            {(id) => (
              <li class="chip">
                {deviceById(id)?.hostname ?? id}
                <button type="button" class="chip-remove" aria-label={`Unpick ${deviceById(id)?.hostname ?? id}`} onClick={() => toggle(id)}>
                  ×
                </button>
              </li>
            )}
          </For>
          <Show when={picked().length > CHIPS}>
            <li class="muted">and {(picked().length - CHIPS).toLocaleString()} more</li>
          </Show>
        </ul>
        <div class="row gap">
          <button type="button" class="btn btn-primary" data-testid="add-members-submit" disabled={add.pending()} onClick={() => void add.run()}>
            Add {picked().length.toLocaleString()} {picked().length === 1 ? 'device' : 'devices'}
          </button>
          <button type="button" class="btn btn-ghost" onClick={() => setPicked([])}>
            Clear
          </button>
        </div>
      </Show>
      <FormError failure={add.failure()} />
    </section>
  );
}
