/** Reported in `hello` and at enrollment; bump with every agent release. */
export const AGENT_VERSION = '0.1.0';
