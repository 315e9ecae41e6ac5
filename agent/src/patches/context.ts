import { existsSync } from 'node:fs';
import type { PatchItem } from '../../../protocol/patches';
import { findExecutable } from '../interpreters';

/*
 * Where the patch tools are looked up and run. Everything a test must replace is here: the
 * environment (a stand-in `apt-get` first on PATH), the platform, and the files the OS drops
 * when a reboot is pending.
 */
export interface PatchContext {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Debian/Ubuntu's flag file; present while a reboot is pending. */
  rebootFlags: string[];
  /** Homebrew's launcher in its two standard prefixes (Apple silicon, Intel). */
  brewPaths: string[];
}

export function defaultPatchContext(platform = process.platform, env = process.env): PatchContext {
  // Services run with a short PATH; package tools and needs-restarting live in sbin.
  const PATH = platform === 'win32' ? env.PATH : [env.PATH, '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean).join(':');
  return {
    platform,
    env: { ...env, PATH },
    rebootFlags: ['/var/run/reboot-required', '/run/reboot-required'],
    brewPaths: ['/opt/homebrew/bin/brew', '/usr/local/bin/brew'],
  };
}

export function which(ctx: PatchContext, name: string): string | null {
  return findExecutable(name, ctx.env, ctx.platform);
}

export function brewPath(ctx: PatchContext): string | null {
  return ctx.brewPaths.find((p) => existsSync(p)) ?? null;
}

/** The environment for a package tool: messages in English (the parsers read them), no prompts. */
export function toolEnv(ctx: PatchContext, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...ctx.env, LC_ALL: 'C', LANG: 'C', ...extra };
}

/** What one source found, or why it could not say. */
export type SourceScan = { ok: true; items: PatchItem[]; /** Windows Update's own verdict. */ rebootRequired?: boolean | null } | { ok: false; error: string };

/** Per key: null when the tool reported success, else its complaint. */
export type InstallOutcome = Map<string, string | null>;
