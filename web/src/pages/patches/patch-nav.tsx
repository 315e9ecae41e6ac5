import { A } from '@solidjs/router';
import { For, type JSX } from 'solid-js';

const SECTIONS = [
  { href: '/patches', label: 'Missing updates', id: 'updates' },
  { href: '/patches/policies', label: 'Approval policies', id: 'policies' },
  { href: '/patches/schedules', label: 'Schedules', id: 'schedules' },
  { href: '/patches/compliance', label: 'Compliance', id: 'compliance' },
] as const;
export type PatchSection = (typeof SECTIONS)[number]['id'];

/** The patch pages' own tabs: links, so each view has an address. */
export function PatchNav(props: { current: PatchSection }): JSX.Element {
  return (
    <nav class="tabs patch-nav" aria-label="Patch management">
      <For each={SECTIONS}>
        {(s) => (
          <A
            href={s.href}
            class="tab"
            classList={{ 'is-active': props.current === s.id }}
            aria-current={props.current === s.id ? 'page' : undefined}
            data-testid={`patch-nav-${s.id}`}
            activeClass=""
            inactiveClass=""
          >
            {s.label}
          </A>
        )}
      </For>
    </nav>
  );
}
