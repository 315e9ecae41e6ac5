import { createEffect, createResource, createSignal, For, on, onCleanup, Show, type JSX } from 'solid-js';
import { api, call } from '../../api/client';
import { describeFailure, type ApiFailure } from '../../api/errors';
import { settled } from '../../lib/resource';
import { loadClients, loadSites } from '../../state/directory';
import { loadGroups } from '../../state/groups';
import { deviceById } from '../../state/devices';
import { previewJob, type DeviceFilter, type JobPreviewResult, type JobTargetInput } from '../../state/jobs';
import { DevicePick } from '../../components/device-pick';
import { FieldError } from '../../components/feedback';
import { listSavedSearches } from '../assets/search-data';

export interface TargetDraft {
  all: boolean;
  deviceIds: string[];
  groupIds: string[];
  siteIds: string[];
  clientIds: string[];
  tags: string[];
  /** Saved fleet searches: the devices each finds when the job is created. */
  searchIds: string[];
  filter?: DeviceFilter;
}

export const EMPTY_TARGET: TargetDraft = { all: false, deviceIds: [], groupIds: [], siteIds: [], clientIds: [], tags: [], searchIds: [] };

export function isEmptyTarget(t: TargetDraft): boolean {
  return !t.all && !t.filter && t.deviceIds.length + t.groupIds.length + t.siteIds.length + t.clientIds.length + t.tags.length + t.searchIds.length === 0;
}

export function toTarget(t: TargetDraft): JobTargetInput {
  const named = { all: t.all, deviceIds: t.deviceIds, groupIds: t.groupIds, siteIds: t.siteIds, clientIds: t.clientIds, tags: t.tags, searchIds: t.searchIds };
  return t.filter ? { ...named, filter: t.filter } : named;
}

function filterText(f: DeviceFilter): string {
  const parts = Object.entries(f).filter(([, v]) => v).map(([k, v]) => `${k}: ${String(v)}`);
  return parts.length ? parts.join(', ') : 'every device in the list';
}

function Checks(props: { label: string; items: { id: string; name: string }[]; value: string[]; onChange: (ids: string[]) => void; testId: string }): JSX.Element {
  return (
    <details class="target-section" open={props.value.length > 0}>
      <summary>
        {props.label}
        <Show when={props.value.length}>{(n) => <span class="count-badge">{n()}</span>}</Show>
      </summary>
      <div class="check-list" data-testid={props.testId}>
        <For each={props.items} fallback={<span class="muted small">None yet.</span>}>
          {(item) => (
            <label class="check">
              <input
                type="checkbox"
                checked={props.value.includes(item.id)}
                onChange={(e) => props.onChange(e.currentTarget.checked ? [...props.value, item.id] : props.value.filter((x) => x !== item.id))}
              />
              {item.name}
            </label>
          )}
        </For>
      </div>
    </details>
  );
}

/**
 * Which devices a job runs on: the union of devices, groups, sites, clients, tags and the
 * device list's filter, or the whole tenant; the server's count (and whether approval will
 * be needed) follows every change.
 */
export function JobTargetBuilder(props: { value: TargetDraft; onChange: (t: TargetDraft) => void; failure: ApiFailure | null; onPreview?: (p: JobPreviewResult | null) => void }): JSX.Element {
  const [clients] = createResource(loadClients);
  const [sites] = createResource(() => loadSites());
  const [groups] = createResource(loadGroups);
  const [tagList] = createResource(() => call(api.tags.$get()).then((r) => r.items));
  const [searches] = createResource(listSavedSearches);
  const [pick, setPick] = createSignal('');
  const [tagDraft, setTagDraft] = createSignal('');
  const [preview, setPreview] = createSignal<JobPreviewResult | null>(null);
  const [previewError, setPreviewError] = createSignal<unknown>(null);
  const set = (p: Partial<TargetDraft>) => props.onChange({ ...props.value, ...p });

  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;
  onCleanup(() => clearTimeout(timer));
  createEffect(
    on(
      () => JSON.stringify(props.value),
      () => {
        clearTimeout(timer);
        const mine = ++generation;
        if (isEmptyTarget(props.value)) {
          setPreview(null);
          props.onPreview?.(null);
          return;
        }
        timer = setTimeout(async () => {
          try {
            const p = await previewJob(toTarget(props.value));
            if (mine !== generation) return;
            setPreview(p);
            setPreviewError(null);
            props.onPreview?.(p);
          } catch (err) {
            if (mine === generation) setPreviewError(err);
          }
        }, 250);
      },
    ),
  );

  const addTag = () => {
    const t = tagDraft().trim();
    if (t && !props.value.tags.includes(t)) set({ tags: [...props.value.tags, t] });
    setTagDraft('');
  };

  return (
    <div class="job-target" data-testid="job-target">
      <label class="check">
        <input type="checkbox" data-testid="target-all" checked={props.value.all} onChange={(e) => set({ all: e.currentTarget.checked })} />
        Every device in the tenant (always needs approval)
      </label>
      <Show when={!props.value.all}>
        <Show when={props.value.filter}>
          {(f) => (
            <span class="chip" data-testid="target-filter">
              Device list filter: {filterText(f())}
              <button type="button" class="chip-remove" aria-label="Remove the device list filter" onClick={() => set({ filter: undefined })}>
                ×
              </button>
            </span>
          )}
        </Show>
        <div class="target-section">
          <span>Devices</span>
          <div class="row gap wrap">
            <For each={props.value.deviceIds}>
              {(id) => (
                <span class="chip">
                  {deviceById(id)?.hostname ?? id}
                  <button type="button" class="chip-remove" aria-label="Remove device" onClick={() => set({ deviceIds: props.value.deviceIds.filter((x) => x !== id) })}>
                    ×
                  </button>
                </span>
              )}
            </For>
          </div>
          <DevicePick
            value={pick()}
            testId="target-device"
            onChange={(id) => {
              if (id && !props.value.deviceIds.includes(id)) set({ deviceIds: [...props.value.deviceIds, id] });
              setPick('');
            }}
          />
        </div>
        <Checks label="Groups" testId="target-groups" items={settled(groups) ?? []} value={props.value.groupIds} onChange={(groupIds) => set({ groupIds })} />
        <Checks label="Clients" testId="target-clients" items={settled(clients) ?? []} value={props.value.clientIds} onChange={(clientIds) => set({ clientIds })} />
        <Checks
          label="Sites"
          testId="target-sites"
          items={(settled(sites) ?? []).map((s) => ({ id: s.id, name: `${settled(clients)?.find((c) => c.id === s.clientId)?.name ?? ''} / ${s.name}` }))}
          value={props.value.siteIds}
          onChange={(siteIds) => set({ siteIds })}
        />
        <Checks label="Saved searches" testId="target-searches" items={settled(searches) ?? []} value={props.value.searchIds} onChange={(searchIds) => set({ searchIds })} />
        <div class="target-section">
          <span>Tags</span>
          <div class="row gap wrap">
            <For each={props.value.tags}>
              {(t) => (
                <span class="chip">
                  {t}
                  <button type="button" class="chip-remove" aria-label={`Remove tag ${t}`} onClick={() => set({ tags: props.value.tags.filter((x) => x !== t) })}>
                    ×
                  </button>
                </span>
              )}
            </For>
            <input
              class="input input-small"
              list="job-target-tags"
              placeholder="Add a tag"
              aria-label="Add a tag"
              value={tagDraft()}
              onInput={(e) => setTagDraft(e.currentTarget.value)}
              onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), addTag())}
              onChange={addTag}
            />
            <datalist id="job-target-tags">
              <For each={settled(tagList)}>{(t) => <option value={t.tag}>{`${t.count} devices`}</option>}</For>
            </datalist>
          </div>
        </div>
      </Show>
      <FieldError failure={props.failure} path="target" />
      <div class="job-preview" aria-live="polite" data-testid="job-preview">
        <Show when={previewError()}>{(err) => <span class="field-error">Preview failed: {describeFailure(err())}</span>}</Show>
        <Show when={!isEmptyTarget(props.value) && preview()} fallback={<span class="muted">Name some devices to see how many this reaches.</span>}>
          {(p) => (
            <>
              <div>
                <strong data-testid="preview-count">{p().count}</strong> devices, <span data-testid="preview-online">{p().online}</span> online now
              </div>
              <Show when={p().needsApproval}>
                <div class="badge badge-warn" data-testid="preview-approval">
                  Needs approval by a second admin before anything runs
                </div>
              </Show>
              <div class="muted small">
                <For each={p().sample}>{(d, i) => <span classList={{ 'muted-2': !d.online }}>{(i() ? ', ' : '') + d.hostname}</span>}</For>
                {p().count > p().sample.length ? ` and ${p().count - p().sample.length} more` : ''}
              </div>
            </>
          )}
        </Show>
      </div>
    </div>
  );
}
