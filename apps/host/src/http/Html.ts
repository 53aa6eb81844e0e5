import { HttpServerResponse } from "@effect/platform"

/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`)

const STYLE = `
  body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f5f5f4; color: #1c1917; }
  main { max-width: 32rem; margin: 2rem auto; background: #fff; padding: 1.5rem; border-radius: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
  h1 { font-size: 1.35rem; margin-top: 0; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; }
  dt { color: #57534e; } dd { margin: 0; }
  pre { white-space: pre-wrap; background: #fafaf9; padding: .75rem; border-radius: 8px; font-size: .9rem; }
  button { font-size: 1.1rem; padding: .7rem 1.4rem; border-radius: 8px; border: 0; background: #15803d; color: #fff; cursor: pointer; }
  button.danger { background: #b91c1c; }
  .note { color: #57534e; font-size: .9rem; }
`

/** Headers every page carries: never cached, never indexed, no referrer (a token may sit in the URL). */
export const PAGE_HEADERS = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-robots-tag": "noindex, nofollow",
  "x-content-type-options": "nosniff",
  "x-frame-options": "SAMEORIGIN"
} as const

/** A small self-contained HTML page (inline style, no script). `bodyHtml` must already be escaped. */
export const htmlPage = (status: number, title: string, bodyHtml: string, headers: Record<string, string> = {}) =>
  HttpServerResponse.text(
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${bodyHtml}
</main></body>
</html>
`,
    {
      status,
      contentType: "text/html; charset=utf-8",
      headers: {
        ...PAGE_HEADERS,
        "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'",
        ...headers
      }
    }
  )

/** A page that explains why nothing happened. */
export const errorPage = (status: number, title: string, message: string, headers: Record<string, string> = {}) =>
  htmlPage(status, title, `<p>${escapeHtml(message)}</p><p class="note">Nothing was changed.</p>`, headers)
