import type { TemplateOverrides } from './settings.ts';
import type { Channel, MessageKind, MessageVars } from './types.ts';

export type Template = { subject: string; text: string; html: string };

export const EMAIL_DEFAULTS: Record<MessageKind, Template> = {
  otp: {
    subject: 'Your sign-in code: {{code}}',
    text: 'Hello {{name}},\n\nYour code is {{code}}. It expires in {{expiresInMinutes}} minutes.\n\nIf you did not ask for it, ignore this message.',
    html: '<p>Hello {{name}},</p><p>Your code is <strong>{{code}}</strong>. It expires in {{expiresInMinutes}} minutes.</p><p>If you did not ask for it, ignore this message.</p>',
  },
  magiclink: {
    subject: 'Your sign-in link',
    text: 'Hello {{name}},\n\nSign in with this link: {{link}}\nIt expires in {{expiresInMinutes}} minutes.',
    html: '<p>Hello {{name}},</p><p><a href="{{link}}">Sign in</a></p><p>The link expires in {{expiresInMinutes}} minutes.</p>',
  },
  enchantedlink: {
    subject: 'Your sign-in link',
    text: 'Hello {{name}},\n\nPick the link numbered {{linkId}} on the screen where you started:\n{{linksText}}',
    html: '<p>Hello {{name}},</p><p>Pick the link whose number matches the one on the screen where you started:</p><p>{{linksHtml}}</p>',
  },
  invite: {
    subject: 'You are invited',
    text: 'Hello {{name}},\n\nYou have been invited. Accept with this link: {{link}}',
    html: '<p>Hello {{name}},</p><p>You have been invited. <a href="{{link}}">Accept the invitation</a></p>',
  },
  reset: {
    subject: 'Reset your password',
    text: 'Hello {{name}},\n\nReset your password: {{link}}{{code}}\nIt expires in {{expiresInMinutes}} minutes.',
    html: '<p>Hello {{name}},</p><p>Reset your password: <a href="{{link}}">{{link}}</a><strong>{{code}}</strong></p><p>It expires in {{expiresInMinutes}} minutes.</p>',
  },
};

export const TEXT_DEFAULTS: Record<MessageKind, string> = {
  otp: 'Your code is {{code}}',
  magiclink: 'Sign in: {{link}}',
  enchantedlink: 'Pick link {{linkId}}: {{linksText}}',
  invite: 'You are invited: {{link}}',
  reset: 'Reset your password: {{link}}{{code}}',
};

/** Variables the server sets: a request's templateOptions can never replace them (no phishing links). */
export const SERVER_VARIABLES = [
  'code',
  'link',
  'name',
  'loginId',
  'linkId',
  'links',
  'linksText',
  'linksHtml',
  'expiresInMinutes',
  'templateOptions',
] as const;

export const escapeHtml = (v: string) =>
  v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function fill(template: string, vars: Record<string, string>, html: boolean): string {
  // One pass: a value that itself contains {{…}} is never expanded again.
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value = Object.hasOwn(vars, name) ? vars[name]! : '';
    // linksHtml is built here from escaped parts; everything else is escaped in HTML.
    return html && name !== 'linksHtml' ? escapeHtml(value) : value;
  });
}

const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function stringVars(channel: Channel, vars: MessageVars): Record<string, string> {
  const out: Record<string, string> = {};
  const options = vars.templateOptions;
  if (options && typeof options === 'object' && !Array.isArray(options))
    for (const [k, v] of Object.entries(options))
      if (isScalar(v) && !(SERVER_VARIABLES as readonly string[]).includes(k)) out[k] = String(v);
  for (const [k, v] of Object.entries(vars)) if (isScalar(v)) out[k] = String(v);
  const links = Array.isArray(vars.links) ? vars.links.filter((l) => typeof l === 'string') : [];
  out.linksText = links.map((l, i) => `${i + 1}. ${l}`).join('\n');
  out.linksHtml = links.map((l) => `<a href="${escapeHtml(l)}">${escapeHtml(linkNumber(l))}</a>`).join(' ');
  out.name ||= out.loginId ?? '';
  // A voice call reads "123456" as a number; spaced digits are read one by one.
  if (channel === 'voice' && out.code) out.code = [...out.code].join(' ');
  return out;
}

/** Enchanted links carry their number as `&n=NN` for display; the token alone decides. */
function linkNumber(link: string): string {
  try {
    return new URL(link).searchParams.get('n') ?? link;
  } catch {
    return link;
  }
}

/**
 * Renders a message from the project's template: the one named by `templateId` if the project has it,
 * else the one for its kind, else the built-in one. An email template without a subject keeps the built-in subject.
 */
export function render(
  channel: Channel,
  kind: MessageKind,
  vars: MessageVars,
  overrides?: TemplateOverrides,
  templateId?: string,
): Template {
  const v = stringVars(channel, vars);
  const pick = <T>(table: Record<string, T> | undefined): T | undefined =>
    (templateId && table && Object.hasOwn(table, templateId) ? table[templateId] : undefined) ??
    (table && Object.hasOwn(table, kind) ? table[kind] : undefined);
  if (channel === 'email') {
    const override = pick(overrides?.email);
    // A custom body replaces both parts: a project that writes only `text` sends a text-only email.
    const custom = override?.text !== undefined || override?.html !== undefined;
    const t = {
      subject: override?.subject ?? EMAIL_DEFAULTS[kind].subject,
      text: custom ? (override?.text ?? '') : EMAIL_DEFAULTS[kind].text,
      html: custom ? (override?.html ?? '') : EMAIL_DEFAULTS[kind].html,
    };
    return { subject: fill(t.subject, v, false), text: fill(t.text, v, false), html: fill(t.html, v, true) };
  }
  const body = fill(pick(overrides?.text) ?? TEXT_DEFAULTS[kind], v, false);
  return { subject: '', text: body, html: '' };
}
