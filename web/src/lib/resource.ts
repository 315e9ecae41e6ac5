import type { Resource } from 'solid-js';

/**
 * The last loaded value, or undefined while loading or after a failure. Reading
 * `resource.latest` of a failed resource throws; sidebars and pickers want nothing instead.
 */
export function settled<T>(r: Resource<T>): T | undefined {
  return r.error ? undefined : r.latest;
}
