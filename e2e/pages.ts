import type { Browser, Page } from 'playwright-core';
import { api, launchBrowser, startPlatform, type Platform } from './harness';

/** Polls `ok` every half second until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, ok: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface OnlineDevice {
  id: string;
  hostname: string;
  clientId: string;
  status: string;
}

export interface AgentSession {
  platform: Platform;
  /** The real agent's device, once the API lists it online. */
  device: OnlineDevice;
  browser: Browser;
  page: Page;
}

/**
 * The platform on `port` with the real agent enrolled on this machine and online, and a
 * dashboard-sized browser page.
 */
export async function startWithAgent(port: number): Promise<AgentSession> {
  const platform = await startPlatform(port);
  let browser: Browser | undefined;
  try {
    platform.startAgent();
    let device: OnlineDevice | undefined;
    await waitFor('the real agent online', async () => {
      device = (await api<{ items: OnlineDevice[] }>(platform, 'GET', '/devices')).items.find((x) => x.status === 'online');
      return !!device;
    });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    return { platform, device: device!, browser, page };
  } catch (err) {
    // The caller never gets them to close: a wrangler left running would hold the port.
    await browser?.close();
    await platform.close();
    throw err;
  }
}
