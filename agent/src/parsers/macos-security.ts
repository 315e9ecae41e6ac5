import type { SecurityState } from '../../../protocol/device-state';

/**
 * `socketfilterfw --getglobalstate`: "Firewall is enabled. (State = 1)", "Firewall is
 * blocking all non-essential incoming connections. (State = 2)" or "… disabled. (State = 0)".
 */
export function parseSocketFilterFw(text: string): boolean | null {
  const state = /State\s*=\s*(\d)/.exec(text);
  if (state) return state[1] !== '0';
  if (/firewall is (enabled|blocking)/i.test(text)) return true;
  if (/firewall is disabled/i.test(text)) return false;
  return null;
}

/** `fdesetup status`: "FileVault is On.", "FileVault is Off.", or a conversion in progress. */
export function parseFdesetup(text: string): SecurityState['diskEncryption'] {
  const line = text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ').slice(0, 512);
  if (/Encryption in progress/i.test(text)) return { encrypted: false, detail: line };
  if (/Decryption in progress/i.test(text)) return { encrypted: true, detail: line };
  if (/FileVault is On/i.test(text)) return { encrypted: true, detail: line };
  if (/FileVault is Off/i.test(text)) return { encrypted: false, detail: line };
  return { encrypted: null, ...(line ? { detail: line } : {}) };
}

/**
 * `softwareupdate -l`: each update starts with a `* Label: …` line (`   * name` before
 * Catalina) followed by a `Title: …, Version: …, Recommended: YES, Action: restart,` line.
 * Rapid Security Responses and "Security Update" packages count as security updates.
 */
export function parseSoftwareUpdateList(text: string): { pending: number; security: number; restart: number } | null {
  if (/No new software available/i.test(text)) return { pending: 0, security: 0, restart: 0 };
  if (!/Software Update found the following/i.test(text)) return null;
  let pending = 0;
  let security = 0;
  let restart = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s*\*\s+(?:Label:\s*)?(.+)$/.exec(lines[i]);
    if (!head) continue;
    pending++;
    const detail = lines[i + 1] ?? '';
    if (/security|\bRSR\b|\(a\)/i.test(head[1]) || /Title:[^,]*security/i.test(detail)) security++;
    if (/Action:\s*restart|\[restart\]/i.test(detail)) restart++;
  }
  return { pending, security, restart };
}
