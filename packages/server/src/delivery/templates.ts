import type { Channel, MessageKind, MessageVars } from './types.ts';

export type Template = { subject: string; text: string; html: string };

const EMAIL_DEFAULTS: Record<MessageKind, Template> = {
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

const TEXT_DEFAULTS: Record<MessageKind, string> = {
  otp: 'Your code is {{code}}',
  magiclink: 'Sign in: {{link}}',
  enchantedlink: 'Pick link {{linkId}}: {{linksText}}',
  invite: 'You are invited: {{link}}',
  reset: 'Reset your password: {{link}}{{code}}',
};

const escapeHtml = (v: string) =>
  v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function fill(template: string, vars: Record<string, string>, html: boolean): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value = vars[name] ?? '';
    // linksHtml is built here from escaped parts; everything else is escaped in HTML.
    return html && name !== 'linksHtml' ? escapeHtml(value) : value;
  });
}

function stringVars(vars: MessageVars): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars))
    if (v !== undefined && v !== null && typeof v !== 'object') out[k] = String(v);
  const links = vars.links ?? [];
  out.linksText = links.map((l, i) => `${i + 1}. ${l}`).join('\n');
  out.linksHtml = links.map((l) => `<a href="${escapeHtml(l)}">${escapeHtml(linkNumber(l))}</a>`).join(' ');
  out.name ||= out.loginId ?? '';
  return out;
}

/** Enchanted links carry their number as `&n=NN` for display; the token alone decides. */
const linkNumber = (link: string) => new URL(link).searchParams.get('n') ?? link;

/** Renders a message from the project's template for its kind (or the built-in one). */
export function render(
  channel: Channel,
  kind: MessageKind,
  vars: MessageVars,
  overrides?: {
    email?: Partial<Record<MessageKind, Partial<Template>>>;
    text?: Partial<Record<MessageKind, string>>;
  },
): Template {
  const v = stringVars(vars);
  if (channel === 'email') {
    const t = { ...EMAIL_DEFAULTS[kind], ...overrides?.email?.[kind] };
    return { subject: fill(t.subject, v, false), text: fill(t.text, v, false), html: fill(t.html, v, true) };
  }
  const body = fill(overrides?.text?.[kind] ?? TEXT_DEFAULTS[kind], v, false);
  return { subject: '', text: body, html: '' };
}
