import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import {
  ROOT,
  applyMigrations,
  bootstrapIfNeeded,
  createApiToken,
  createEnrollmentKey,
  ensureDevVars,
  enrollAgent,
  startAgent,
  startServer,
} from '../scripts/lib/platform';
import { stop, stopAll } from '../scripts/lib/processes';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Platform {
  url: string;
  email: string;
  password: string;
  token: string;
  stateDir: string;
  agentState: string;
  agent: ChildProcess | null;
  startAgent(): ChildProcess;
  stopAgent(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh platform in its own state folder: server, tenant, owner, an enrolled real agent. */
export async function startPlatform(port: number): Promise<Platform> {
  const stateDir = join(ROOT, '.e2e-state', `${port}-${Date.now()}`);
  mkdirSync(stateDir, { recursive: true });
  ensureDevVars();
  await applyMigrations(stateDir);
  const server = await startServer({ port, persistTo: stateDir, quiet: !process.env.E2E_VERBOSE });
  const first = await bootstrapIfNeeded(server.url, { tenantName: 'E2E MSP', name: 'E2E Owner', email: 'owner@e2e.test' });
  if (!first) throw new Error('fresh state expected a bootstrap');
  const token = await createApiToken(server.url, first.cookie, 'e2e');
  const agentState = join(stateDir, 'agent');
  await enrollAgent(server.url, await createEnrollmentKey(server.url, token), agentState);
  const p: Platform = {
    url: server.url,
    email: first.email,
    password: first.password,
    token,
    stateDir,
    agentState,
    agent: null,
    startAgent() {
      p.agent = startAgent(agentState, { quiet: !process.env.E2E_VERBOSE });
      return p.agent;
    },
    async stopAgent() {
      if (p.agent) await stop(p.agent);
      p.agent = null;
    },
    async close() {
      await stopAll();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return p;
}

/** A call to the platform's API with the owner's token; throws on any non-2xx answer. */
export async function api<T>(p: Platform, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${p.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${p.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Every file the platform's local R2 holds object bytes in (`<state>/v3/r2/<bucket>/blobs/…`,
 * one per stored object or multipart part), largest first: what a tampering test edits.
 */
export function r2BlobFiles(p: Platform): { path: string; size: number }[] {
  const found: { path: string; size: number }[] = [];
  const walk = (dir: string, inBlobs: boolean) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, inBlobs || entry.name === 'blobs');
      else if (inBlobs && entry.isFile()) found.push({ path, size: statSync(path).size });
    }
  };
  const root = join(p.stateDir, 'v3', 'r2');
  if (existsSync(root)) walk(root, false);
  return found.sort((a, b) => b.size - a.size);
}
