import { For, type JSX } from 'solid-js';
import { ClientFilter } from '../../components/client-filter';
import { APPROVALS, CLASSIFICATION_LABEL, CLASSIFICATIONS, SEVERITIES, SOURCE_LABEL, SOURCES } from '../../state/patches';

export type PatchParams = { q?: string; client?: string; source?: string; classification?: string; severity?: string; approval?: string };

function Pick(props: { label: string; any: string; value: string | undefined; options: readonly string[]; text?: (o: string) => string; testId: string; onChange: (v: string) => void }): JSX.Element {
  return (
    <select class="input select" aria-label={props.label} data-testid={props.testId} onChange={(e) => props.onChange(e.currentTarget.value)}>
      <option value="">{props.any}</option>
      <For each={props.options}>{(o) => <option value={o} selected={o === props.value}>{props.text?.(o) ?? o}</option>}</For>
    </select>
  );
}

/** The fleet list's menus; each choice lands in the URL. */
export function PatchFilters(props: { search: PatchParams; onChange: (p: PatchParams) => void }): JSX.Element {
  return (
    <>
      <ClientFilter value={props.search.client} onChange={(client) => props.onChange({ client })} testId="patch-filter-client" anyLabel="Any client" />
      <Pick label="Source" any="Any source" value={props.search.source} options={SOURCES} text={(s) => SOURCE_LABEL[s as keyof typeof SOURCE_LABEL]} testId="patch-filter-source" onChange={(source) => props.onChange({ source })} />
      <Pick
        label="Classification"
        any="Any classification"
        value={props.search.classification}
        options={CLASSIFICATIONS}
        text={(c) => CLASSIFICATION_LABEL[c as keyof typeof CLASSIFICATION_LABEL]}
        testId="patch-filter-classification"
        onChange={(classification) => props.onChange({ classification })}
      />
      <Pick label="Severity" any="Any severity" value={props.search.severity} options={SEVERITIES} testId="patch-filter-severity" onChange={(severity) => props.onChange({ severity })} />
      <Pick label="Approval" any="Any approval" value={props.search.approval} options={APPROVALS} testId="patch-filter-approval" onChange={(approval) => props.onChange({ approval })} />
    </>
  );
}
