/** Counters every simulated agent adds to; one per (target, N) step. */
export class Tally {
  hbSent = 0;
  hbAcked = 0;
  /** hb → hb_ack, ms, for acks that arrived at all. */
  readonly hbRtt: number[] = [];
  pingsSent = 0;
  pongs = 0;
  /** Sockets the server (or the network) closed while the bench still wanted them. */
  drops = 0;
  readonly dropReasons = new Map<string, number>();
  /** Server frames that did not parse against the protocol schemas. */
  invalidFrames = 0;
  readonly invalidSamples: string[] = [];

  drop(reason: string): void {
    this.drops++;
    this.dropReasons.set(reason, (this.dropReasons.get(reason) ?? 0) + 1);
  }

  invalid(text: string): void {
    this.invalidFrames++;
    if (this.invalidSamples.length < 3) this.invalidSamples.push(text.slice(0, 200));
  }
}

/** When the simulated agents saw each command; the sampler reads it after the API call. */
export class CommandLog {
  readonly received = new Map<string, number>();
  /** When the server acknowledged (stored) the agent's `done` frame. */
  readonly stored = new Map<string, number>();
}
