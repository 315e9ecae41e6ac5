import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors';
import { parseConfigInput } from './config-input';

// A plain-http target on this machine is for local receivers only: a deployed Worker
// (ALLOW_LOOPBACK_TARGETS off) refuses it, and any other plain-http host always.
describe('integration targets', () => {
  const issue = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      return (err as ApiError & { issues?: { path: string }[] }).issues?.map((i) => i.path);
    }
    throw new Error('accepted');
  };

  it('refuses loopback http unless local runs allow it', () => {
    const local = { url: 'http://127.0.0.1:9999/hook', secret: 'a-long-secret' };
    expect(issue(() => parseConfigInput('webhook', local, { allowLoopback: false }))).toEqual(['config.url']);
    expect(parseConfigInput('webhook', local, { allowLoopback: true }).config).toMatchObject({ url: local.url });
    expect(issue(() => parseConfigInput('slack', { webhookUrl: 'http://127.0.0.1:9/x' }, { allowLoopback: false }))).toEqual(['config.webhookUrl']);
  });

  it('refuses plain http to any other host, allowed or not', () => {
    for (const allowLoopback of [false, true]) {
      expect(issue(() => parseConfigInput('webhook', { url: 'http://example.com/hook', secret: 'a-long-secret' }, { allowLoopback }))).toEqual(['config.url']);
    }
  });

  it('generates a webhook secret when none is given, and keeps one on change', () => {
    const made = parseConfigInput('webhook', { url: 'https://example.com/hook' }, { allowLoopback: false });
    expect(made.generatedSecret).toMatch(/^whsec_/);
    const kept = parseConfigInput('webhook', { url: 'https://example.com/other' }, { keepSecret: 'kept-secret-1', allowLoopback: false });
    expect(kept).toMatchObject({ config: { secret: 'kept-secret-1' } });
    expect(kept.generatedSecret).toBeUndefined();
  });
});
