import type { RunHead } from '../scenario-run';

/** bench/results/inventory-<n>.json: what `npm run bench -- --scenario inventory` measured. */

export interface PhaseResult {
  devices: number;
  /** First frame sent → every frame acknowledged by its hub (staged, and applied or refused). */
  ackedMs: number;
  /** First frame sent → D1 shows every device at the snapshot's hash (null: not waited for). */
  inD1Ms: number | null;
  /** Rows D1 reported written for these applies, summed over every DeviceHub. */
  d1RowsWritten: number;
  framesSent: number;
  resyncs: number;
  rejects: number;
}

export interface SearchResult {
  name: string;
  /** Round trip of POST /api/v1/inventory/search, ms. */
  apiMedianMs: number | null;
  /** The endpoint's own tookMs (its D1 query), ms. */
  serverMedianMs: number | null;
  total: number | null;
  /** The same question as one SQL statement on D1 directly, D1's own duration, ms. */
  d1MedianMs: number | null;
  d1Devices: number | null;
  error?: string;
}

export interface InventoryReport extends RunHead {
  n: number;
  packages: number;
  connected: number;
  softwareRows: number;
  baseline: PhaseResult | null;
  unchanged: PhaseResult | null;
  churn: (PhaseResult & { percent: number; changeRows: number; ratioToBaseline: number | null }) | null;
  search: SearchResult[];
  elapsedSeconds: number;
  error?: string;
}
