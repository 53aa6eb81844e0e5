import { LEAD_STATUSES } from "@tattoo-bot/lead-machine"

/**
 * `GET /console/console.js`: the console's behaviour, plain browser JavaScript. Every value from
 * the API goes into the page through `textContent`, never as HTML.
 */
export const consoleScript = `"use strict";
(function () {
  var STATUSES = ${JSON.stringify(LEAD_STATUSES)};
  var KEY = "tattooBotAdminKey";
  var selected = null;
  var refreshTimer = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function row(cells) {
    var tr = document.createElement("tr");
    cells.forEach(function (c) { var td = el("td"); if (c instanceof Node) td.appendChild(c); else td.textContent = c === null || c === undefined ? "" : String(c); tr.appendChild(td); });
    return tr;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function when(iso) { return iso ? new Date(iso).toLocaleString() : ""; }
  function pct(x) { return x === null || x === undefined ? "—" : Math.round(x * 1000) / 10 + "%"; }

  function key() { return sessionStorage.getItem(KEY); }

  function api(method, path, body) {
    var headers = { "X-Admin-API-Key": key() || "" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "omit" })
      .then(function (res) {
        return res.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = { message: text }; }
          if (res.status === 401 || res.status === 403) { signOut("The admin key was not accepted."); }
          return { ok: res.ok, status: res.status, data: data };
        });
      });
  }

  function showLogin(message) {
    $("app").classList.add("hidden");
    $("login").classList.remove("hidden");
    $("login-error").textContent = message || "";
    $("login-key").focus();
  }
  function signOut(message) {
    sessionStorage.removeItem(KEY);
    forgetThumbs();
    if (refreshTimer) { clearInterval(refreshTimer); refreshTimer = null; }
    showLogin(message);
  }
  function showApp() {
    $("login").classList.add("hidden");
    $("app").classList.remove("hidden");
    loadLeads(); loadPanic(); loadFunnel();
    if (!refreshTimer) refreshTimer = setInterval(function () { loadLeads(); loadPanic(); if (selected !== null) loadLead(selected, true); }, 5000);
  }

  $("login-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var candidate = $("login-key").value;
    fetch("/admin/leads?limit=1", { headers: { "X-Admin-API-Key": candidate }, credentials: "omit" }).then(function (res) {
      if (res.ok) { sessionStorage.setItem(KEY, candidate); $("login-key").value = ""; showApp(); }
      else if (res.status === 429) { $("login-error").textContent = "Too many attempts; wait a minute."; }
      else { $("login-error").textContent = "That key was not accepted."; }
    }, function () { $("login-error").textContent = "The service is not reachable."; });
  });
  $("logout").addEventListener("click", function () { signOut(""); });

  STATUSES.forEach(function (s) { var o = el("option", s); o.value = s; $("status-filter").appendChild(o); });
  $("status-filter").addEventListener("change", loadLeads);
  var searchTimer = null;
  $("search").addEventListener("input", function () { clearTimeout(searchTimer); searchTimer = setTimeout(loadLeads, 250); });

  function loadLeads() {
    var q = "/admin/leads?limit=100";
    var status = $("status-filter").value, search = $("search").value.trim();
    if (status) q += "&status=" + encodeURIComponent(status);
    if (search) q += "&search=" + encodeURIComponent(search);
    return api("GET", q).then(function (res) {
      if (!res.ok) return;
      var list = $("lead-list"); clear(list);
      res.data.leads.forEach(function (lead) {
        var tr = row([lead.id, lead.client_name || "…" + String(lead.wa_from).slice(-4), el("span", lead.status, "status")]);
        tr.className = "lead" + (lead.id === selected ? " selected" : "");
        tr.setAttribute("data-lead-id", lead.id);
        tr.setAttribute("data-status", lead.status);
        tr.addEventListener("click", function () { loadLead(lead.id, false); });
        list.appendChild(tr);
      });
      $("lead-count").textContent = (res.data.total_exact === false ? "about " : "") + res.data.total + " lead(s)";
    });
  }

  // Reference images: fetched with the admin key in a header (never in a URL) and shown from an object URL,
  // kept per attachment id so the 5-second refresh does not download them again.
  // A failed image is tried again when the lead is opened again, not on every refresh.
  var thumbs = {};
  var failedThumbs = {};
  function isImage(a) { return a.kind === "image" || String(a.mime_type || "").toLowerCase().indexOf("image/") === 0; }
  function thumbnail(a) {
    var box = el("span", "loading…", "thumb");
    box.setAttribute("data-attachment-id", a.id);
    var entry = thumbs[a.id];
    if (!entry) {
      entry = thumbs[a.id] = fetch("/admin/attachments/" + encodeURIComponent(a.id) + "/content", { headers: { "X-Admin-API-Key": key() || "" }, credentials: "omit" })
        .then(function (res) {
          if (res.status === 401 || res.status === 403) signOut("The admin key was not accepted.");
          if (!res.ok) return res.json().then(function (e) { return { error: (e && e.message) || "Image unavailable (" + res.status + ")" }; }, function () { return { error: "Image unavailable (" + res.status + ")" }; });
          return res.blob().then(function (blob) { return { url: URL.createObjectURL(blob) }; });
        }, function () { return { error: "The service is not reachable." }; })
        .then(function (r) { if (r.error) failedThumbs[a.id] = true; return r; });
    }
    entry.then(function (r) {
      clear(box);
      if (r.url) {
        var link = el("a"); link.href = r.url; link.target = "_blank"; link.rel = "noopener";
        var img = el("img"); img.src = r.url; img.alt = a.caption || "reference image " + a.id;
        img.style.maxWidth = "160px"; img.style.maxHeight = "160px"; img.style.display = "block";
        link.appendChild(img); box.appendChild(link);
      } else {
        box.textContent = r.error;
      }
    });
    return box;
  }
  function forgetThumbs() {
    Object.keys(thumbs).forEach(function (id) { thumbs[id].then(function (r) { if (r.url) URL.revokeObjectURL(r.url); }); });
    thumbs = {}; failedThumbs = {};
  }

  function loadLead(id, quiet) {
    selected = id;
    Array.prototype.forEach.call(document.querySelectorAll("tr.lead"), function (tr) {
      tr.classList.toggle("selected", Number(tr.getAttribute("data-lead-id")) === id);
    });
    if (!quiet) {
      $("action-result").textContent = "";
      Object.keys(failedThumbs).forEach(function (k) { delete thumbs[k]; });
      failedThumbs = {};
    }
    return api("GET", "/admin/leads/" + id).then(function (res) {
      if (!res.ok) { $("action-result").textContent = (res.data && res.data.message) || "Could not load the lead."; return; }
      var d = res.data;
      $("detail-empty").classList.add("hidden");
      $("detail-body").classList.remove("hidden");
      $("lead-id").textContent = d.id;
      $("lead-name").textContent = d.client_name || "";
      $("lead-status").textContent = d.status;
      var meta = ["Phone …" + String(d.wa_from).slice(-4), "created " + when(d.created_at)];
      if (d.deposit_amount_pence !== null && d.deposit_amount_pence !== undefined) meta.push("deposit £" + (d.deposit_amount_pence / 100).toFixed(2));
      if (d.chosen_slot) meta.push("slot " + when(d.chosen_slot.start));
      if (d.handover_reason) meta.push("handover: " + d.handover_reason);
      $("lead-meta").textContent = meta.join(" · ");
      $("lead-flag").textContent = d.flagged_reason ? "Flagged: " + d.flagged_reason : "";
      $("lead-summary").textContent = d.summary_text || "(no summary yet)";
      var answers = $("lead-answers"); clear(answers);
      Object.keys(d.answers || {}).forEach(function (k) { answers.appendChild(row([k, d.answers[k]])); });
      if (!answers.firstChild) answers.appendChild(row(["No answers yet."]));
      var att = $("lead-attachments"); clear(att);
      (d.attachments || []).forEach(function (a) {
        if (isImage(a)) att.appendChild(row([thumbnail(a), a.kind, a.mime_type || "", a.caption || "", when(a.created_at)]));
        else att.appendChild(row([a.kind, a.filename || a.mime_type || "", a.caption || "", "media id " + a.media_id, when(a.created_at)]));
      });
      if (!att.firstChild) att.appendChild(row(["No reference images."]));
      var chat = $("lead-messages"); clear(chat);
      (d.messages || []).forEach(function (m) {
        var b = el("div", m.body || "[" + m.kind + "]", "bubble " + (m.direction === "in" ? "in" : "out"));
        b.appendChild(el("span", (m.direction === "in" ? "client" : "bot") + " · " + when(m.created_at), "meta"));
        chat.appendChild(b);
      });
      chat.scrollTop = chat.scrollHeight;
      var events = $("lead-events"); clear(events);
      (d.events || []).slice().reverse().forEach(function (e) {
        events.appendChild(row([when(e.created_at), e.event, e.from_status + " → " + e.to_status, e.actor]));
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-action]"), function (button) {
    button.addEventListener("click", function () {
      if (selected === null) return;
      var action = button.getAttribute("data-action");
      var body;
      if (action === "reject") {
        var reason = window.prompt("Reason (optional, kept in the admin notes):", "");
        if (reason === null) return;
        body = { reason: reason.trim() === "" ? null : reason.trim() };
      } else if (action === "send-deposit") {
        body = {};
      }
      button.disabled = true;
      var result = $("action-result");
      result.className = ""; result.textContent = "Working…";
      api("POST", "/admin/leads/" + selected + "/" + action, body).then(function (res) {
        button.disabled = false;
        result.className = res.ok ? "ok" : "error";
        result.textContent = res.ok ? res.data.message + " Status: " + res.data.status : (res.data && res.data.message) || "Failed (" + res.status + ")";
        loadLead(selected, true); loadLeads(); loadFunnel();
      }, function () { button.disabled = false; result.className = "error"; result.textContent = "The service is not reachable."; });
    });
  });

  var panicOn = null;
  function renderPanic(on) {
    panicOn = on;
    var b = $("panic-toggle");
    b.textContent = on ? "Panic mode: ON (click to resume)" : "Panic mode: off";
    b.classList.toggle("panic-on", on);
    b.setAttribute("aria-pressed", on ? "true" : "false");
  }
  function loadPanic() {
    return api("GET", "/admin/panic").then(function (res) {
      if (res.ok && res.data) { renderPanic(Boolean(res.data.panic_mode_enabled)); return; }
      return fetch("/health").then(function (r) { return r.json(); }).then(function (h) { renderPanic(Boolean(h.features && h.features.panic_mode_enabled)); });
    });
  }
  $("panic-toggle").addEventListener("click", function () {
    var next = !panicOn;
    if (next && !window.confirm("Pause all automation? Clients get only the safe holding reply until you switch it off.")) return;
    api("POST", "/admin/panic", { enabled: next }).then(function (res) {
      if (res.ok) renderPanic(Boolean(res.data.panic_mode_enabled));
      else window.alert((res.data && res.data.message) || "Could not switch panic mode.");
    });
  });

  function loadFunnel() {
    return api("GET", "/admin/funnel?days=" + encodeURIComponent($("funnel-days").value)).then(function (res) {
      if (!res.ok) return;
      var stages = $("funnel-stages"); clear(stages);
      res.data.stages.forEach(function (s) {
        var tr = row([s.stage.replace(/_/g, " "), s.count, s.stage === "new" ? "" : pct(s.rate_from_previous)]);
        tr.setAttribute("data-stage", s.stage);
        stages.appendChild(tr);
      });
      var drop = $("funnel-dropoff"); clear(drop);
      Object.keys(res.data.drop_off).forEach(function (k) {
        if (res.data.drop_off[k] > 0) drop.appendChild(row([k.replace(/_/g, " "), res.data.drop_off[k]]));
      });
      if (!drop.firstChild) drop.appendChild(row(["No drop-offs in this period."]));
    });
  }
  $("funnel-days").addEventListener("change", loadFunnel);

  if (key() !== null) showApp(); else showLogin("");
})();
`
