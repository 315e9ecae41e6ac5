import * as v from 'valibot';

/*
 * Ticket templates of alert→ticket rules: plain text with `{{token}}` placeholders from a
 * fixed list. No expressions, no HTML, no escaping: the values are hostile text (hostnames
 * and messages come from agents) and the result is shown as text only. Parsed when a rule
 * is saved (an unclosed `{{` or an unknown token is refused, naming it) and again when it
 * renders, so a rule stored before a token was retired still renders (as empty text).
 */

export const TEMPLATE_TOKENS = [
  'device.hostname',
  'device.displayName',
  'client.name',
  'site.name',
  'alert.message',
  'alert.checkName',
  'alert.severity',
  'alert.value',
  'alert.openedAt',
  'alert.url',
] as const;
export type TemplateToken = (typeof TEMPLATE_TOKENS)[number];
export type TemplateValues = Record<TemplateToken, string>;

export const TITLE_TEMPLATE_MAX = 300;
export const BODY_TEMPLATE_MAX = 10_000;
/** What a rendered title or body may hold (a ticket title is at most 200 characters). */
export const RENDERED_TITLE_MAX = 200;
export const RENDERED_BODY_MAX = 20_000;

export type TemplatePart = { text: string } | { token: TemplateToken };
export type ParsedTemplate = { ok: true; parts: TemplatePart[] } | { ok: false; error: string };

const isToken = (name: string): name is TemplateToken => (TEMPLATE_TOKENS as readonly string[]).includes(name);

export function parseTemplate(source: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      parts.push({ text: source.slice(at) });
      break;
    }
    if (open > at) parts.push({ text: source.slice(at, open) });
    const close = source.indexOf('}}', open + 2);
    const next = source.indexOf('{{', open + 2);
    if (close < 0 || (next >= 0 && next < close)) {
      const near = source.slice(open, open + 24);
      return { ok: false, error: `unclosed {{ at character ${open + 1} (near "${near}")` };
    }
    const name = source.slice(open + 2, close).trim();
    if (name === '') return { ok: false, error: `empty token {{}} at character ${open + 1}` };
    if (!isToken(name)) return { ok: false, error: `unknown token {{${name.slice(0, 40)}}}; known tokens: ${TEMPLATE_TOKENS.join(', ')}` };
    parts.push({ token: name });
    at = close + 2;
  }
  return { ok: true, parts };
}

/** Plain substitution; an unparsable template renders as its own text. */
export function renderTemplate(source: string, values: TemplateValues): string {
  const parsed = parseTemplate(source);
  if (!parsed.ok) return source;
  return parsed.parts.map((p) => ('text' in p ? p.text : values[p.token])).join('');
}

/** Titles are one line: control characters and runs of whitespace become one space. */
export function renderTitle(source: string, values: TemplateValues): string {
  return clip(
    renderTemplate(source, values)
      .replace(/[\p{Cc}\s]+/gu, ' ')
      .trim(),
    RENDERED_TITLE_MAX,
  );
}

export function renderBody(source: string, values: TemplateValues): string {
  return clip(renderTemplate(source, values), RENDERED_BODY_MAX);
}

const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** What the tokens are filled from: an alert and where its device sits. */
export interface TemplateContext {
  alert: { id: string; message: string; checkName: string; severity: string; value: number | null; openedAt: number };
  device: { hostname: string | null; displayName: string | null };
  clientName: string | null;
  siteName: string | null;
}

export function templateValues(c: TemplateContext): TemplateValues {
  return {
    'device.hostname': c.device.hostname ?? '',
    'device.displayName': c.device.displayName ?? c.device.hostname ?? '',
    'client.name': c.clientName ?? '',
    'site.name': c.siteName ?? '',
    'alert.message': c.alert.message,
    'alert.checkName': c.alert.checkName,
    'alert.severity': c.alert.severity,
    'alert.value': c.alert.value === null ? '' : String(c.alert.value),
    'alert.openedAt': new Date(c.alert.openedAt).toISOString(),
    'alert.url': `/alerts/${encodeURIComponent(c.alert.id)}`,
  };
}

/** For previews when the tenant has no alert to show (or none was named). */
export const SAMPLE_CONTEXT: TemplateContext = {
  alert: { id: 'alr_sample', message: 'CPU high: 97 %', checkName: 'CPU high', severity: 'critical', value: 97, openedAt: Date.UTC(2026, 0, 15, 9, 30) },
  device: { hostname: 'web-01', displayName: 'Web server 1' },
  clientName: 'Example Client',
  siteName: 'HQ',
};

/** A template field: length-limited, parsed, every token known (the issue names the bad one). */
export const Template = (max: number) =>
  v.pipe(
    v.string(),
    v.maxLength(max, `at most ${max} characters`),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const parsed = parseTemplate(dataset.value);
      if (!parsed.ok) addIssue({ message: parsed.error });
    }),
  );
