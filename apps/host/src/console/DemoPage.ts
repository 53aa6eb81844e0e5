/** `GET /demo` (outside production): the client's chat window next to the artist's console. */
export const demoPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Demo — Tattoo Booking Bot</title>
<link rel="stylesheet" href="/console/console.css">
<style>
  .demo { display: grid; grid-template-columns: minmax(20rem, 28rem) 1fr; gap: 1rem; padding: 1rem; height: calc(100vh - 3rem); }
  .demo iframe { width: 100%; height: 100%; border: 1px solid #d6d3d1; border-radius: 10px; background: #fff; }
  .phone { display: flex; flex-direction: column; background: #fff; border-radius: 14px; padding: .8rem; box-shadow: 0 1px 3px rgba(0,0,0,.1); min-height: 0; }
  .phone .chat { flex: 1; max-height: none; }
  .phone form { display: flex; gap: .4rem; margin-top: .5rem; }
  .phone form input { flex: 1; }
</style>
</head>
<body>
<header><h1>Demo: play the client on the left, be the artist on the right</h1></header>
<div class="demo">
  <div class="phone">
    <div class="filters">
      <label>Your number <input id="demo-from" size="15" inputmode="numeric" aria-label="Client number"></label>
      <label>Name <input id="demo-name" size="10" value="Demo Client" aria-label="Client name"></label>
      <button id="demo-new" type="button" title="Start again as a new client">New client</button>
    </div>
    <p class="muted" id="demo-lead">No lead yet: say hello.</p>
    <div class="chat" id="demo-chat" aria-live="polite"></div>
    <form id="demo-form">
      <input id="demo-text" autocomplete="off" placeholder="Type a message" aria-label="Message" maxlength="4096">
      <button id="demo-send" type="submit" class="primary">Send</button>
    </form>
    <p class="error" id="demo-error" role="alert"></p>
    <p class="muted">Messages go through the signed WhatsApp webhook; replies are the bot's real outbound messages (WhatsApp dry run). Sign in on the right first when an admin key is set.</p>
  </div>
  <iframe id="demo-console" src="/console" title="Artist console"></iframe>
</div>
<script src="/demo/demo.js"></script>
</body>
</html>
`

/** `GET /demo/demo.js`: the chat window's behaviour. */
export const demoScript = `"use strict";
(function () {
  var KEY = "tattooBotAdminKey";
  function $(id) { return document.getElementById(id); }
  function newNumber() { return "4479" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0"); }
  var stored = sessionStorage.getItem("tattooBotDemoNumber");
  $("demo-from").value = stored || newNumber();
  sessionStorage.setItem("tattooBotDemoNumber", $("demo-from").value);
  $("demo-from").addEventListener("change", function () { sessionStorage.setItem("tattooBotDemoNumber", $("demo-from").value.trim()); refresh(); });
  $("demo-new").addEventListener("click", function () {
    $("demo-from").value = newNumber();
    sessionStorage.setItem("tattooBotDemoNumber", $("demo-from").value);
    refresh();
  });
  function headers() {
    return { "Content-Type": "application/json", "X-Admin-API-Key": sessionStorage.getItem(KEY) || "" };
  }
  var lastCount = -1;
  function render(data) {
    var chat = $("demo-chat");
    var messages = data.messages || [];
    $("demo-lead").textContent = data.lead_id ? "Lead #" + data.lead_id + " · " + data.status : "No lead yet: say hello.";
    if (messages.length === lastCount) return;
    lastCount = messages.length;
    while (chat.firstChild) chat.removeChild(chat.firstChild);
    messages.forEach(function (m) {
      // The client's own messages on the right, the bot's on the left, as on a phone.
      var b = document.createElement("div");
      b.className = "bubble " + (m.direction === "in" ? "out" : "in");
      b.setAttribute("data-direction", m.direction);
      b.textContent = m.body || "[" + m.kind + "]";
      chat.appendChild(b);
    });
    chat.scrollTop = chat.scrollHeight;
  }
  function refresh() {
    var from = $("demo-from").value.trim();
    return fetch("/demo/messages?from=" + encodeURIComponent(from), { headers: headers(), credentials: "omit" })
      .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
      .then(function (res) {
        if (res.ok) { $("demo-error").textContent = ""; render(res.data); }
        else { $("demo-error").textContent = res.data.message || "Could not load the chat."; }
      }, function () {});
  }
  $("demo-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = $("demo-text").value;
    if (text.trim() === "") return;
    $("demo-send").disabled = true;
    fetch("/demo/messages", {
      method: "POST", headers: headers(), credentials: "omit",
      body: JSON.stringify({ from: $("demo-from").value.trim(), name: $("demo-name").value.trim() || null, text: text })
    }).then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
      .then(function (res) {
        $("demo-send").disabled = false;
        if (res.ok) { $("demo-text").value = ""; $("demo-error").textContent = ""; refresh(); }
        else { $("demo-error").textContent = res.data.message || "Not sent."; }
      }, function () { $("demo-send").disabled = false; $("demo-error").textContent = "The service is not reachable."; });
  });
  refresh();
  setInterval(refresh, 1000);
})();
`
