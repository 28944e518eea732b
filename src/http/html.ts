/**
 * Server-rendered pages. Every interpolated value goes through `escapeHtml` unless it is
 * itself `SafeHtml`, so user input (emails, client names, redirect URIs) cannot inject markup.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

type HtmlValue = SafeHtml | string | number | null | undefined | false | HtmlValue[];

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += renderValue(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

function renderValue(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(renderValue).join('');
  if (value instanceof SafeHtml) return value.value;
  return escapeHtml(String(value));
}

const styles = `
  :root { color-scheme: light dark; --accent: #3b5bdb; }
  * { box-sizing: border-box; }
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; display: grid; place-items: center;
    min-height: 100vh; background: Canvas; color: CanvasText; }
  main { width: min(28rem, 100% - 2rem); padding: 2rem 0; }
  h1 { font-size: 1.5rem; margin: 0 0 1rem; }
  label { display: block; margin: 1rem 0 0.25rem; font-weight: 600; }
  input { width: 100%; padding: 0.6rem; font: inherit; border: 1px solid GrayText;
    border-radius: 6px; }
  button { font: inherit; padding: 0.6rem 1.2rem; border-radius: 6px; border: 1px solid GrayText;
    background: Canvas; color: CanvasText; cursor: pointer; margin-top: 1.25rem; }
  button.primary { background: var(--accent); border-color: var(--accent); color: white; }
  .actions { display: flex; gap: 0.75rem; flex-wrap: wrap; }
  a.button { display: inline-block; padding: 0.6rem 1.2rem; border-radius: 6px;
    border: 1px solid GrayText; color: CanvasText; text-decoration: none; margin-top: 1.25rem; }
  .notice { padding: 0.75rem 1rem; border-radius: 6px; border: 1px solid #c92a2a; }
  .muted { color: GrayText; font-size: 0.9rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
  dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  code { overflow-wrap: anywhere; }
`;

export function renderPage(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · Folio</title>
<style>${new SafeHtml(styles)}</style>
</head>
<body><main>${body}</main></body>
</html>`.value;
}

/** A page response with the headers every page carries. */
export function pageResponse(title: string, body: SafeHtml, status = 200): Response {
  return new Response(renderPage(title, body), {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}
