import type { Resource } from 'solid-js';

/**
 * The last loaded value, or undefined while loading or after a failure. Reading
 * `resource.latest` of a failed resource throws; sidebars and pickers want nothing instead.
 * Before the first value it is not read at all: a read would suspend the whole page
 * behind the shell's fallback, where the caller shows its own.
 */
export function settled<T>(r: Resource<T>): T | undefined {
  if (r.error || (r.state !== 'ready' && r.state !== 'refreshing')) return undefined;
  return r.latest;
}
