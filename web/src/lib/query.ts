/** Query parameters without the unset ones: the API reads an empty value as a filter. */
export function compact(q: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(q).filter(([, x]) => x)) as Record<string, string>;
}

/** A list's query string (for its CSV link), `?`-led, or '' when no filter is set. */
export function queryString(q: Record<string, string | undefined>): string {
  const s = new URLSearchParams(compact(q)).toString();
  return s ? `?${s}` : '';
}
