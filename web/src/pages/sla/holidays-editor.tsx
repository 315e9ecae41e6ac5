import { createSignal, For, type JSX } from 'solid-js';

/** Dates without working hours, kept sorted and without repeats; Enter in the date field adds. */
export function HolidaysEditor(props: { value: string[]; onChange: (dates: string[]) => void }): JSX.Element {
  const [date, setDate] = createSignal('');
  const add = () => {
    const d = date();
    if (!d) return;
    props.onChange([...new Set([...props.value, d])].sort());
    setDate('');
  };
  return (
    <div class="stack">
      <div class="row gap">
        <input
          class="input"
          type="date"
          aria-label="Holiday date"
          data-testid="calendar-holiday-date"
          value={date()}
          onInput={(e) => setDate(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            // Enter adds the date instead of submitting the whole calendar.
            e.preventDefault();
            add();
          }}
        />
        <button type="button" class="btn btn-small" data-testid="calendar-holiday-add" disabled={!date()} onClick={add}>
          Add holiday
        </button>
      </div>
      <ul class="chips" data-testid="calendar-holidays">
        <For each={props.value} fallback={<li class="muted small">No holidays.</li>}>
          {(d) => (
            <li class="chip mono" data-testid="calendar-holiday">
              {d}
              <button type="button" class="chip-remove" aria-label={`Remove holiday ${d}`} onClick={() => props.onChange(props.value.filter((x) => x !== d))}>
                ✕
              </button>
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
