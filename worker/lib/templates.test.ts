import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  RENDERED_TITLE_MAX,
  SAMPLE_CONTEXT,
  TEMPLATE_TOKENS,
  Template,
  parseTemplate,
  renderBody,
  renderTitle,
  templateValues,
} from '../../protocol/templates';

const values = templateValues(SAMPLE_CONTEXT);

describe('ticket templates', () => {
  it('substitutes every known token as plain text', () => {
    const all = TEMPLATE_TOKENS.map((t) => `${t}=[{{${t}}}]`).join('\n');
    expect(renderBody(all, values)).toBe(
      [
        'device.hostname=[web-01]',
        'device.displayName=[Web server 1]',
        'client.name=[Example Client]',
        'site.name=[HQ]',
        'alert.message=[CPU high: 97 %]',
        'alert.checkName=[CPU high]',
        'alert.severity=[critical]',
        'alert.value=[97]',
        'alert.openedAt=[2026-01-15T09:30:00.000Z]',
        'alert.url=[/alerts/alr_sample]',
      ].join('\n'),
    );
  });

  it('allows spaces inside braces and leaves lone braces alone', () => {
    expect(renderBody('{{ alert.severity }} } { }} done', values)).toBe('critical } { }} done');
  });

  it('never evaluates or re-expands values: hostile text stays text', () => {
    const hostile = templateValues({ ...SAMPLE_CONTEXT, alert: { ...SAMPLE_CONTEXT.alert, message: '{{client.name}} <img src=x onerror=alert(1)>' } });
    expect(renderBody('{{alert.message}}', hostile)).toBe('{{client.name}} <img src=x onerror=alert(1)>');
  });

  it('fills missing device names and values with what is known', () => {
    const bare = templateValues({ ...SAMPLE_CONTEXT, device: { hostname: 'srv', displayName: null }, clientName: null, alert: { ...SAMPLE_CONTEXT.alert, value: null } });
    expect(renderBody('{{device.displayName}}|{{client.name}}|{{alert.value}}', bare)).toBe('srv||');
  });

  it('makes titles one line and clips them', () => {
    const long = templateValues({ ...SAMPLE_CONTEXT, alert: { ...SAMPLE_CONTEXT.alert, message: `line one\r\n\tline two ${'x'.repeat(500)}` } });
    const title = renderTitle('  {{alert.message}}  ', long);
    expect(title.startsWith('line one line two x')).toBe(true);
    expect(title).toHaveLength(RENDERED_TITLE_MAX);
    expect(title.endsWith('…')).toBe(true);
  });

  it('refuses unclosed braces, empty and unknown tokens, naming them', () => {
    expect(parseTemplate('Disk {{device.hostname')).toMatchObject({ ok: false, error: expect.stringContaining('unclosed {{ at character 6') });
    expect(parseTemplate('{{alert.message {{device.hostname}}')).toMatchObject({ ok: false, error: expect.stringContaining('unclosed {{ at character 1') });
    expect(parseTemplate('a {{ }} b')).toMatchObject({ ok: false, error: expect.stringContaining('empty token') });
    expect(parseTemplate('{{device.ip}}')).toMatchObject({ ok: false, error: expect.stringContaining('unknown token {{device.ip}}') });
    expect(parseTemplate('{{alert.message}} and {{ALERT.MESSAGE}}')).toMatchObject({ ok: false, error: expect.stringContaining('{{ALERT.MESSAGE}}') });
    expect(parseTemplate('no tokens at all')).toEqual({ ok: true, parts: [{ text: 'no tokens at all' }] });
  });

  it('the field schema reports the problem and the length limit', () => {
    const schema = v.object({ titleTemplate: Template(20) });
    const bad = v.safeParse(schema, { titleTemplate: 'x {{alert.nope}}' });
    expect(bad.issues?.map((i) => [v.getDotPath(i), i.message])).toEqual([['titleTemplate', expect.stringContaining('unknown token {{alert.nope}}')]]);
    expect(v.safeParse(schema, { titleTemplate: 'x'.repeat(21) }).issues?.[0]?.message).toBe('at most 20 characters');
    expect(v.safeParse(schema, { titleTemplate: '{{alert.checkName}}' }).success).toBe(true);
  });
});
