import { For, Show, type JSX } from 'solid-js';
import { KIND_LABEL } from '../integrations/integration-data';
import type { Channel } from './policies';

/**
 * The integrations a tier posts `alert.escalated` to, besides those the notification
 * policies route it to. Plain checkboxes in a fieldset: Tab moves between them, Space toggles.
 */
export function ChannelPicker(props: { tier: number; channels: Channel[]; selected: string[]; onChange: (ids: string[]) => void }): JSX.Element {
  const toggle = (id: string, on: boolean) => props.onChange(on ? [...props.selected, id] : props.selected.filter((x) => x !== id));
  return (
    <fieldset class="field channel-picker" data-testid="tier-channels">
      <legend>Channels (Slack, Teams, webhooks)</legend>
      <Show when={props.channels.length} fallback={<span class="muted small">No integrations yet: add one on the Integrations page.</span>}>
        <div class="check-list">
          <For each={props.channels}>
            {(c) => (
              <label class="check">
                <input
                  type="checkbox"
                  checked={props.selected.includes(c.id)}
                  onChange={(e) => toggle(c.id, e.currentTarget.checked)}
                  aria-label={`Tier ${props.tier}: post to ${c.name} (${KIND_LABEL[c.kind]})`}
                  data-testid="tier-channel"
                />
                {c.name} <span class="muted small">{KIND_LABEL[c.kind]}{c.enabled ? '' : ', switched off'}</span>
              </label>
            )}
          </For>
        </div>
      </Show>
    </fieldset>
  );
}
