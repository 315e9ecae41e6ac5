import { describe, expect, it } from 'vitest';
import { Flights } from './delivery-flights';

/* A gate the test opens by hand: work that runs until told to finish. */
function gate() {
  let open!: () => void;
  const shut = new Promise<void>((r) => (open = r));
  return { shut, open };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Flights', () => {
  it('runs at most `limit` at a time, in the order queued, and keeps each one alive', async () => {
    const kept: Promise<unknown>[] = [];
    const flights = new Flights(2, (p) => kept.push(p));
    const gates = [gate(), gate(), gate(), gate()];
    const began: number[] = [];
    const landed = gates.map((g, i) =>
      flights.start(`k${i}`, async () => {
        began.push(i);
        await g.shut;
      }),
    );
    await tick();
    expect(began).toEqual([0, 1]);
    expect(kept).toHaveLength(2);
    gates[1]!.open();
    await landed[1];
    await tick();
    expect(began).toEqual([0, 1, 2]);
    gates[0]!.open();
    gates[2]!.open();
    gates[3]!.open();
    await Promise.all(landed);
    expect(began).toEqual([0, 1, 2, 3]);
    expect(kept).toHaveLength(4);
  });

  it('adds nothing for a key already queued or running, and logs a failure without throwing', async () => {
    const flights = new Flights(1);
    const g = gate();
    let runs = 0;
    const first = flights.start('a', async () => {
      runs++;
      await g.shut;
      throw new Error('receiver exploded');
    });
    const queued = flights.start('b', async () => undefined);
    expect(flights.start('a', async () => void runs++)).toBeNull();
    expect(flights.start('b', async () => void runs++)).toBeNull();
    expect(flights.has('a') && flights.has('b')).toBe(true);
    g.open();
    await expect(first).resolves.toBeUndefined();
    await queued;
    expect(runs).toBe(1);
    expect(flights.has('a') || flights.has('b')).toBe(false);
    // Landed: the key may fly again.
    await flights.start('a', async () => void runs++);
    expect(runs).toBe(2);
  });

  it('runs exclusive work after the flight of its key, and holds that key meanwhile', async () => {
    const flights = new Flights(4);
    const g = gate();
    const order: string[] = [];
    const flight = flights.start('a', async () => {
      await g.shut;
      order.push('flight');
    });
    const manual = flights.exclusive('a', async () => {
      order.push('manual');
      expect(flights.start('a', async () => void order.push('again'))).toBeNull();
      return 'done';
    });
    await tick();
    expect(order).toEqual([]);
    g.open();
    expect(await manual).toBe('done');
    await flight;
    expect(order).toEqual(['flight', 'manual']);
    expect(flights.has('a')).toBe(false);
  });
});
