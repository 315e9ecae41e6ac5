/*
 * The TenantHub's own record of the bulk jobs it is running: which jobs (with their slot
 * count and feed scope) and which of their commands are still in flight. D1 holds the jobs
 * and their targets; these rows only let the hub count slots and match results without a
 * D1 read per command event.
 */

const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS job_runs (
     job_id TEXT PRIMARY KEY,
     concurrency INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     -- the one client all its devices belong to; NULL when they span clients (unscoped users only)
     client_id TEXT
   )`,
  `CREATE TABLE IF NOT EXISTS job_commands (
     command_id TEXT PRIMARY KEY,
     job_id TEXT NOT NULL,
     device_id TEXT NOT NULL,
     final INTEGER NOT NULL DEFAULT 0,
     sent_at INTEGER NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS job_commands_job ON job_commands (job_id, final)`,
];

export interface JobRun {
  jobId: string;
  concurrency: number;
  expiresAt: number;
  clientId: string | null;
}

export class JobStore {
  constructor(private readonly sql: SqlStorage) {
    for (const statement of STATEMENTS) sql.exec(statement);
  }

  putRun(run: JobRun): void {
    this.sql.exec(
      `INSERT INTO job_runs (job_id, concurrency, expires_at, client_id) VALUES (?, ?, ?, ?)
       ON CONFLICT(job_id) DO UPDATE SET concurrency = excluded.concurrency, expires_at = excluded.expires_at, client_id = excluded.client_id`,
      run.jobId,
      run.concurrency,
      run.expiresAt,
      run.clientId,
    );
  }

  run(jobId: string): JobRun | null {
    const row = this.sql
      .exec<{ job_id: string; concurrency: number; expires_at: number; client_id: string | null }>(`SELECT * FROM job_runs WHERE job_id = ?`, jobId)
      .toArray()[0];
    return row ? { jobId: row.job_id, concurrency: row.concurrency, expiresAt: row.expires_at, clientId: row.client_id } : null;
  }

  runIds(): string[] {
    return this.sql
      .exec<{ job_id: string }>(`SELECT job_id FROM job_runs`)
      .toArray()
      .map((r) => r.job_id);
  }

  dropRun(jobId: string): void {
    this.sql.exec(`DELETE FROM job_runs WHERE job_id = ?`, jobId);
  }

  inFlight(jobId: string): number {
    return this.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM job_commands WHERE job_id = ? AND final = 0`, jobId).one().n;
  }

  addCommands(jobId: string, list: readonly { commandId: string; deviceId: string }[], now: number): void {
    for (const c of list) {
      this.sql.exec(`INSERT OR IGNORE INTO job_commands (command_id, job_id, device_id, final, sent_at) VALUES (?, ?, ?, 0, ?)`, c.commandId, jobId, c.deviceId, now);
    }
  }

  /** The job a command belongs to (null: not a job's command, or long settled). */
  jobOf(commandId: string): { jobId: string; final: boolean } | null {
    const row = this.sql.exec<{ job_id: string; final: number }>(`SELECT job_id, final FROM job_commands WHERE command_id = ?`, commandId).toArray()[0];
    return row ? { jobId: row.job_id, final: row.final === 1 } : null;
  }

  markFinal(commandId: string): void {
    this.sql.exec(`UPDATE job_commands SET final = 1 WHERE command_id = ?`, commandId);
  }

  /** Commands still open that were sent before `before` (the sweep asks D1 about them). */
  stale(jobId: string, before: number): string[] {
    return this.sql
      .exec<{ command_id: string }>(`SELECT command_id FROM job_commands WHERE job_id = ? AND final = 0 AND sent_at < ? LIMIT 500`, jobId, before)
      .toArray()
      .map((r) => r.command_id);
  }

  openCommands(jobId: string): { commandId: string; deviceId: string }[] {
    return this.sql
      .exec<{ command_id: string; device_id: string }>(`SELECT command_id, device_id FROM job_commands WHERE job_id = ? AND final = 0`, jobId)
      .toArray()
      .map((r) => ({ commandId: r.command_id, deviceId: r.device_id }));
  }

  /** Settled commands are kept a while for late duplicates, then dropped. */
  forgetFinal(jobId: string): void {
    this.sql.exec(`DELETE FROM job_commands WHERE job_id = ? AND final = 1`, jobId);
  }

  forgetJob(jobId: string): void {
    this.sql.exec(`DELETE FROM job_commands WHERE job_id = ?`, jobId);
  }
}
