import type { OutboxMessage } from './outbox.ts';
import { escapeHtml } from './templates.ts';

const URL_PATTERN = /https?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)\]]/g;
const CODE_PATTERN = /(?<![\w/=&?-])\d{4,10}(?![\w/=&-])/g;

/** Escapes a text, makes its http(s) links clickable and its codes stand out. */
function richText(text: string): string {
  let out = '';
  let at = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    out += highlightCodes(text.slice(at, match.index));
    const url = escapeHtml(match[0]);
    out += `<a class="link" href="${url}" rel="noreferrer noopener" target="_blank">${url}</a>`;
    at = match.index + match[0].length;
  }
  return out + highlightCodes(text.slice(at));
}

const highlightCodes = (plain: string) =>
  escapeHtml(plain).replace(CODE_PATTERN, (code) => `<strong class="code">${code}</strong>`);

const time = (seconds: number) => new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19);

function messageHtml(m: OutboxMessage): string {
  const title = m.subject || `${m.channel.toUpperCase()} message`;
  const html = m.html
    ? `<details><summary>HTML version</summary><iframe sandbox="" title="HTML version" srcdoc="${escapeHtml(m.html)}"></iframe></details>`
    : '';
  return `<article>
<header><h2>${escapeHtml(title)}</h2><p class="meta"><span class="to">To ${escapeHtml(m.to)}</span> · ${escapeHtml(m.channel)} · ${escapeHtml(m.kind)} · <time>${time(m.createdTime)} UTC</time></p></header>
<pre>${richText(m.text)}</pre>
${html}
</article>`;
}

/**
 * The dev outbox as a self-contained page (no external assets, no script). Every value is escaped; the
 * HTML version of an email is shown in a sandboxed frame, where its markup cannot run or reach this page.
 */
export function outboxPage(projectId: string, messages: OutboxMessage[], filter?: string): string {
  const body =
    messages.length === 0
      ? '<p class="empty">No messages yet. Sign in from your app and reload this page.</p>'
      : messages.map(messageHtml).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Latchkey outbox</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:52rem;padding:1rem;color:#1b1b1f;background:#f6f6f8}
h1{font-size:1.4rem}h2{font-size:1.05rem;margin:0}
article{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1rem;margin:1rem 0}
.meta{color:#555;margin:.2rem 0 .6rem;font-size:.85rem}
pre{white-space:pre-wrap;word-break:break-word;font:inherit;margin:0}
.code{font:bold 1.3rem ui-monospace,monospace;background:#fff3bf;padding:0 .3rem;border-radius:4px;letter-spacing:.1em}
.link{word-break:break-all}
iframe{width:100%;min-height:14rem;border:1px solid #ddd;border-radius:4px;background:#fff}
.empty{color:#555}
</style>
</head>
<body>
<h1>Outbox · ${escapeHtml(projectId)}</h1>
<p class="meta">Messages Latchkey would have sent, newest first${filter ? ` · to ${escapeHtml(filter)}` : ''} · <a href="">reload</a></p>
${body}
</body>
</html>
`;
}
