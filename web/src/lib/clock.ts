import { createSignal } from 'solid-js';

const [now, setNow] = createSignal(Date.now());

// One shared tick for every relative time on screen, instead of a timer per cell.
setInterval(() => setNow(Date.now()), 5_000);

export { now };
