// Hard limits shared by agent, hubs and API. Changing one is a protocol change.
export const MAX_FRAME_BYTES = 256 * 1024;
export const MAX_OUTPUT_BYTES = 1024 * 1024;
export const MAX_OUTPUT_CHUNK_BYTES = 32 * 1024;
export const MAX_SCRIPT_BYTES = 256 * 1024;
export const MAX_JSON_BODY_BYTES = 512 * 1024;
export const DEFAULT_COMMAND_TTL_SECONDS = 24 * 3600;
export const MAX_COMMAND_TTL_SECONDS = 7 * 24 * 3600;
export const DEFAULT_SCRIPT_TIMEOUT_SECONDS = 300;
export const MAX_SCRIPT_TIMEOUT_SECONDS = 24 * 3600;
/** fetch_file: the largest file an agent sends back (base64 in the command output, under 1 MiB). */
export const MAX_FETCH_FILE_BYTES = 512 * 1024;
/** reboot / shutdown: the longest delay a technician may give users to save their work. */
export const MAX_POWER_DELAY_SECONDS = 24 * 3600;
export const TRUNCATION_MARKER = '\n[tether: output truncated at 1 MiB]\n';
/** Sockets: the text the agent sends as keep-alive; the hub answers without waking. */
export const PING = 'ping';
export const PONG = 'pong';

/*
 * How long after its last sign of life a device counts as gone: one and a half heartbeat
 * intervals plus a grace of a third of one (at most 10 s), so 55 s at the default 30 s. A live
 * agent's next beat may then be up to 25 s late without a false alarm, and an agent that
 * really went silent is shown offline within two intervals (the goal set against Tactical
 * RMM's 4 and Breeze's 5 minutes).
 */
export function offlineAfterMs(heartbeatSeconds: number): number {
  const interval = heartbeatSeconds * 1000;
  return 1.5 * interval + Math.min(10_000, interval / 3);
}
