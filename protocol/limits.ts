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
export const TRUNCATION_MARKER = '\n[tether: output truncated at 1 MiB]\n';
/** Sockets: the text the agent sends as keep-alive; the hub answers without waking. */
export const PING = 'ping';
export const PONG = 'pong';
