import { SECRET_MASK } from '../../protocol/scripts';

/** Every occurrence of a secret, longest first where two start at the same place. */
function nextMatch(text: string, from: number, secrets: readonly string[]): { at: number; length: number } | null {
  let best: { at: number; length: number } | null = null;
  for (const s of secrets) {
    const at = text.indexOf(s, from);
    if (at < 0) continue;
    if (!best || at < best.at || (at === best.at && s.length > best.length)) best = { at, length: s.length };
  }
  return best;
}

/** `text` with every secret replaced by the mask. */
export function redactText(text: string, secrets: readonly string[]): string {
  return new Redactor(secrets).redactAll(text);
}

/**
 * Masks secret values in a stream of text that arrives in pieces. A secret may be split
 * across two pieces, so the tail of each piece that could be the start of a secret is held
 * back until the next piece (or the end) shows whether it is one.
 */
export class Redactor {
  private readonly secrets: string[];
  private readonly held = new Map<string, string>();

  constructor(secrets: readonly string[]) {
    // An empty value would match everywhere; it reveals nothing either.
    this.secrets = [...new Set(secrets.filter((s) => s.length > 0))];
  }

  get active(): boolean {
    return this.secrets.length > 0;
  }

  /** The part of `text` (on `stream`) that is safe to send now. */
  write(stream: string, text: string): string {
    if (!this.active) return text;
    const buf = (this.held.get(stream) ?? '') + text;
    const { out, rest } = this.mask(buf);
    const hold = this.partialTail(rest);
    this.held.set(stream, rest.slice(rest.length - hold));
    return out + rest.slice(0, rest.length - hold);
  }

  /** What was held back on `stream`: at the real end it turned out not to be a secret. */
  end(stream: string): string {
    const rest = this.held.get(stream) ?? '';
    this.held.delete(stream);
    return rest;
  }

  /** Forgets what was held back: the stream was cut, so it may be the start of a secret. */
  drop(stream: string): void {
    this.held.delete(stream);
  }

  redactAll(text: string): string {
    if (!this.active) return text;
    const { out, rest } = this.mask(text);
    return out + rest;
  }

  private mask(text: string): { out: string; rest: string } {
    let out = '';
    let i = 0;
    for (let m = nextMatch(text, i, this.secrets); m; m = nextMatch(text, i, this.secrets)) {
      out += text.slice(i, m.at) + SECRET_MASK;
      i = m.at + m.length;
    }
    return { out, rest: text.slice(i) };
  }

  /** Length of the longest tail of `text` that is a proper prefix of some secret. */
  private partialTail(text: string): number {
    const longest = Math.max(...this.secrets.map((s) => s.length)) - 1;
    for (let n = Math.min(longest, text.length); n > 0; n--) {
      const tail = text.slice(text.length - n);
      if (this.secrets.some((s) => s.length > n && s.startsWith(tail))) return n;
    }
    return 0;
  }
}
