/** One interface's cumulative counters, whatever the OS reported them from. */
export interface NetCounters {
  iface: string;
  rxBytes: number;
  txBytes: number;
  /** Receive and transmit errors plus drops. */
  errors: number;
}

/**
 * /proc/net/dev: two header lines, then `iface: rx_bytes rx_packets rx_errs rx_drop … tx_bytes
 * tx_packets tx_errs tx_drop …` (8 receive and 8 transmit columns).
 */
export function parseProcNetDev(text: string): NetCounters[] {
  const out: NetCounters[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const iface = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (!iface || f.length < 16 || f.some((n) => !Number.isFinite(n))) continue;
    out.push({ iface, rxBytes: f[0], txBytes: f[8], errors: f[2] + f[3] + f[10] + f[11] });
  }
  return out;
}
