/** Styles shared by the console and the demo page. */
export const CONSOLE_CSS = `
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f5f5f4; color: #1c1917; font-size: 15px; }
header { display: flex; align-items: center; gap: 1rem; padding: .6rem 1rem; background: #1c1917; color: #fafaf9; }
header h1 { font-size: 1.1rem; margin: 0; flex: 1; }
button { font: inherit; padding: .35rem .8rem; border-radius: 6px; border: 1px solid #a8a29e; background: #fff; cursor: pointer; }
button.primary { background: #15803d; border-color: #15803d; color: #fff; }
button.danger { background: #b91c1c; border-color: #b91c1c; color: #fff; }
button:disabled { opacity: .5; cursor: default; }
input, select, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid #a8a29e; border-radius: 6px; }
main { display: grid; grid-template-columns: minmax(16rem, 24rem) 1fr; gap: 1rem; padding: 1rem; }
section.card { background: #fff; border-radius: 10px; padding: .8rem 1rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); margin-bottom: 1rem; }
section.card h2 { font-size: 1rem; margin: 0 0 .6rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .4rem; border-bottom: 1px solid #e7e5e4; vertical-align: top; }
tr.lead { cursor: pointer; } tr.lead:hover, tr.lead.selected { background: #fef3c7; }
.status { font-family: ui-monospace, monospace; font-size: .85rem; background: #e7e5e4; padding: .05rem .35rem; border-radius: 4px; }
.muted { color: #78716c; font-size: .85rem; }
.error { color: #b91c1c; }
.ok { color: #15803d; }
.actions { display: flex; flex-wrap: wrap; gap: .4rem; margin: .6rem 0; }
.chat { display: flex; flex-direction: column; gap: .35rem; max-height: 26rem; overflow-y: auto; padding: .4rem; background: #fafaf9; border-radius: 8px; }
.bubble { max-width: 80%; padding: .4rem .6rem; border-radius: 10px; white-space: pre-wrap; word-wrap: break-word; }
.bubble.in { align-self: flex-start; background: #fff; border: 1px solid #e7e5e4; }
.bubble.out { align-self: flex-end; background: #dcfce7; }
.bubble .meta { display: block; font-size: .7rem; color: #78716c; margin-top: .15rem; }
#login { max-width: 24rem; margin: 4rem auto; }
.panic-on { background: #b91c1c !important; color: #fff !important; border-color: #b91c1c !important; }
.filters { display: flex; gap: .4rem; margin-bottom: .5rem; flex-wrap: wrap; }
pre { white-space: pre-wrap; background: #fafaf9; padding: .6rem; border-radius: 8px; font-size: .85rem; }
.hidden { display: none !important; }
`

/** Security headers for the console and demo pages (scripts only from this origin). */
export const CONSOLE_HEADERS = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "SAMEORIGIN",
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data: blob:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
} as const

/** `GET /console`: the artist's web console (the admin key is asked for and kept in sessionStorage). */
export const consolePage = (artistName: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Console — Tattoo Booking Bot</title>
<link rel="stylesheet" href="/console/console.css">
</head>
<body data-artist="${artistName.replace(/[^\p{L}\p{N} .'-]/gu, "")}">
<section id="login" class="card hidden">
  <h2>Sign in</h2>
  <form id="login-form">
    <p><label for="login-key">Admin API key</label><br><input id="login-key" type="password" autocomplete="current-password" style="width:100%" required></p>
    <p><button id="login-submit" type="submit" class="primary">Sign in</button></p>
    <p id="login-error" class="error" role="alert"></p>
    <p class="muted">The key is kept in this browser tab only (sessionStorage) and sent as the X-Admin-API-Key header.</p>
  </form>
</section>
<div id="app" class="hidden">
<header>
  <h1>Tattoo Booking Bot — console</h1>
  <button id="panic-toggle" type="button" title="Pause all automation (panic mode)">Panic mode: …</button>
  <button id="logout" type="button">Sign out</button>
</header>
<main>
  <div>
    <section class="card">
      <h2>Leads</h2>
      <div class="filters">
        <select id="status-filter" aria-label="Status">
          <option value="">All statuses</option>
        </select>
        <input id="search" type="search" placeholder="Name, number or id" aria-label="Search">
      </div>
      <table><thead><tr><th>#</th><th>Client</th><th>Status</th></tr></thead><tbody id="lead-list"></tbody></table>
      <p id="lead-count" class="muted"></p>
    </section>
    <section class="card">
      <h2>Funnel <select id="funnel-days" aria-label="Period"><option value="7">7 days</option><option value="30">30 days</option><option value="90">90 days</option></select></h2>
      <table><thead><tr><th>Stage</th><th>Leads</th><th>From previous</th></tr></thead><tbody id="funnel-stages"></tbody></table>
      <h2 style="margin-top:.8rem">Drop-off</h2>
      <table><tbody id="funnel-dropoff"></tbody></table>
    </section>
  </div>
  <div>
    <section class="card" id="detail">
      <p class="muted" id="detail-empty">Select a lead.</p>
      <div id="detail-body" class="hidden">
        <h2>Lead #<span id="lead-id"></span> <span id="lead-name"></span> <span id="lead-status" class="status"></span></h2>
        <p class="muted" id="lead-meta"></p>
        <p id="lead-flag" class="error"></p>
        <div class="actions">
          <button type="button" data-action="approve" class="primary">Approve</button>
          <button type="button" data-action="reject" class="danger">Reject</button>
          <button type="button" data-action="send-deposit">Send deposit link</button>
          <button type="button" data-action="mark-booked">Mark booked</button>
          <button type="button" data-action="resume">Hand back to the bot</button>
        </div>
        <p id="action-result" role="status"></p>
        <h2>Summary</h2>
        <pre id="lead-summary"></pre>
        <h2>Answers</h2>
        <table><tbody id="lead-answers"></tbody></table>
        <h2 style="margin-top:.8rem">Reference images</h2>
        <table><tbody id="lead-attachments"></tbody></table>
        <h2 style="margin-top:.8rem">Conversation</h2>
        <div class="chat" id="lead-messages"></div>
        <h2 style="margin-top:.8rem">History</h2>
        <table><tbody id="lead-events"></tbody></table>
      </div>
    </section>
  </div>
</main>
</div>
<script src="/console/console.js"></script>
</body>
</html>
`
