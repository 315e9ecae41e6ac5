import { A } from '@solidjs/router';
import type { JSX } from 'solid-js';

export default function PortalNotFound(): JSX.Element {
  return (
    <div class="page portal-page">
      <h1>Not found</h1>
      <p class="muted">
        Nothing lives at this address. <A href="/portal">Back to my tickets</A>
      </p>
    </div>
  );
}
