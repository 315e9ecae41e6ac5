import type { JSX } from 'solid-js';

export function AuthCard(props: { title: string; subtitle?: string; children: JSX.Element }): JSX.Element {
  return (
    <div class="center-page">
      <div class="card narrow">
        <div class="brand brand-large">
          <span class="brand-mark" aria-hidden="true" />
          Tether
        </div>
        <h1>{props.title}</h1>
        {props.subtitle && <p class="muted">{props.subtitle}</p>}
        {props.children}
      </div>
    </div>
  );
}
