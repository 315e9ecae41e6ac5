import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A recorded tool output from test/fixtures. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixture(name));
}
