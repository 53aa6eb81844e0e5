import { HttpApiBuilder, HttpLayerRouter, HttpServerError } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Data, Effect } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { hashToken, type TokenAction } from "../leads/ActionTokens.js"
import { type LeadAction, LeadActions } from "../leads/LeadActions.js"
import { OutboxSignal } from "../outbox/OutboxSignal.js"
import { TattooBotApi } from "./Api.js"
import { InvalidTransitionResponse, NotFoundResponse, UnavailableResponse } from "./ApiErrors.js"
import { errorPage, escapeHtml, htmlPage } from "./Html.js"

/** What each link does, as the artist reads it. */
const ACTIONS: Record<TokenAction, { readonly title: string; readonly button: string; readonly danger: boolean; readonly action: LeadAction }> = {
  approve: { title: "Approve this lead", button: "✅ Approve", danger: false, action: { _tag: "Approve" } },
  reject: { title: "Reject this lead", button: "❌ Reject", danger: true, action: { _tag: "Reject", reason: null } },
  send_deposit: { title: "Send the deposit link to the client", button: "💷 Send deposit link", danger: false, action: { _tag: "SendDeposit", amountPence: null } },
  mark_booked: { title: "Mark this lead as booked", button: "📅 Mark booked", danger: false, action: { _tag: "MarkBooked" } },
  resume: { title: "Hand this lead back to the bot", button: "🤖 Hand back to the bot", danger: false, action: { _tag: "Resume" } }
}

/** Tokens are 32 random bytes in base64url: anything else cannot be one, and needs no lookup. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

interface TokenRow {
  readonly id: number
  readonly leadId: number
  readonly action: string
  readonly requiredStatus: string
  readonly usedAt: Date | null
  readonly expired: boolean
  readonly expiresAt: Date
  readonly status: string
  readonly clientName: string | null
  readonly waFrom: string
  readonly summaryText: string | null
}

/** Why a link does nothing; rendered as a page with this HTTP status. */
class LinkRefused extends Data.TaggedError("LinkRefused")<{ readonly status: number; readonly title: string; readonly message: string }> {}

const lookup = (token: string, lock: boolean) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    if (!TOKEN_SHAPE.test(token)) return undefined
    const hash = hashToken(token)
    const rows = lock
      ? yield* sql<TokenRow>`
          SELECT t.id, t.lead_id, t.action, t.required_status, t.used_at, t.expires_at <= now() AS expired, t.expires_at,
                 l.status, l.client_name, l.wa_from, l.summary_text
          FROM action_tokens t JOIN leads l ON l.id = t.lead_id WHERE t.token_hash = ${hash} FOR UPDATE OF t, l`
      : yield* sql<TokenRow>`
          SELECT t.id, t.lead_id, t.action, t.required_status, t.used_at, t.expires_at <= now() AS expired, t.expires_at,
                 l.status, l.client_name, l.wa_from, l.summary_text
          FROM action_tokens t JOIN leads l ON l.id = t.lead_id WHERE t.token_hash = ${hash}`
    return rows[0]
  })

/** The checks both GET and POST make, first failure wins. */
const check = (row: TokenRow | undefined) => {
  if (row === undefined || !(row.action in ACTIONS)) {
    return Effect.fail(
      new LinkRefused({ status: 404, title: "Link not recognised", message: "This action link is not valid. Check that the whole link was copied." })
    )
  }
  if (row.usedAt !== null) {
    return Effect.fail(
      new LinkRefused({
        status: 410,
        title: "Link already used",
        message: `This link was already used on ${new Date(row.usedAt).toUTCString()}. Lead #${row.leadId} is now ${row.status}.`
      })
    )
  }
  if (row.expired) {
    return Effect.fail(
      new LinkRefused({
        status: 410,
        title: "Link expired",
        message: `This link expired on ${new Date(row.expiresAt).toUTCString()}. Use the console or the admin API for lead #${row.leadId}.`
      })
    )
  }
  if (row.status !== row.requiredStatus) {
    return Effect.fail(
      new LinkRefused({
        status: 409,
        title: "Lead has moved on",
        message: `This link was made for lead #${row.leadId} in status ${row.requiredStatus}; it is now ${row.status}, so the link no longer applies.`
      })
    )
  }
  return Effect.succeed({ ...row, spec: ACTIONS[row.action as TokenAction] })
}

const maskedNumber = (waFrom: string) => (waFrom.length > 4 ? `…${waFrom.slice(-4)}` : waFrom)

const leadLines = (row: TokenRow) =>
  `<dl>
<dt>Lead</dt><dd>#${row.leadId}${row.clientName ? ` — ${escapeHtml(row.clientName)}` : ""}</dd>
<dt>Phone</dt><dd>${escapeHtml(maskedNumber(row.waFrom))}</dd>
<dt>Status</dt><dd>${escapeHtml(row.status)}</dd>
</dl>`

const refusedPage = (e: LinkRefused) => errorPage(e.status, e.title, e.message)

/**
 * `GET /a/{token}` shows what the link will do and a button (a link preview fetching the page
 * changes nothing); `POST /a/{token}` does it once, through the same `LeadActions` as the admin
 * API, in one transaction that locks the token and the lead, checks them, runs the action and
 * marks the token used. A refusal rolls back, so nothing changes.
 */
export const ActionLinkHandlers = HttpApiBuilder.group(TattooBotApi, "actionLinks", (handlers) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const config = yield* AppConfig
    const actions = yield* LeadActions
    const signal = yield* OutboxSignal
    const provideSql = <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>) => Effect.provideService(effect, SqlClient.SqlClient, sql)
    return handlers
      .handle("confirm", ({ path }) =>
        lookup(path.token, false).pipe(
          Effect.flatMap(check),
          Effect.map((row) =>
            htmlPage(
              200,
              row.spec.title,
              `${leadLines(row)}
${row.action === "approve" && row.summaryText ? `<pre>${escapeHtml(row.summaryText)}</pre>` : ""}
<form method="post">
<button type="submit"${row.spec.danger ? ' class="danger"' : ""}>${escapeHtml(row.spec.button)}</button>
</form>
<p class="note">Nothing happens until you press the button. The link works once and expires after ${config.actionTokenExpiryDays} days.</p>`
            )
          ),
          provideSql,
          Effect.catchTags({ LinkRefused: (e) => Effect.succeed(refusedPage(e)), SqlError: Effect.die })
        )
      )
      .handle("perform", ({ path }) =>
        Effect.gen(function* () {
          const row = yield* lookup(path.token, true).pipe(Effect.flatMap(check))
          const result = yield* actions.run(row.leadId, row.spec.action, "action_link")
          yield* sql`UPDATE action_tokens SET used_at = now() WHERE id = ${row.id}`
          return { row, result }
        }).pipe(
          sql.withTransaction,
          provideSql,
          Effect.tap(({ row, result }) =>
            Effect.zipRight(
              signal.notify,
              Effect.logInfo("action link used").pipe(Effect.annotateLogs({ leadId: row.leadId, action: row.action, status: result.status }))
            )
          ),
          Effect.map(({ row, result }) =>
            htmlPage(
              200,
              "Done",
              `<p>${escapeHtml(result.message)}</p>${leadLines({ ...row, status: result.status })}<p class="note">You can close this page.</p>`
            )
          ),
          Effect.catchAll((e) => {
            if (e instanceof LinkRefused) return Effect.succeed(refusedPage(e))
            if (e instanceof InvalidTransitionResponse) return Effect.succeed(errorPage(409, "Lead has moved on", e.message))
            if (e instanceof NotFoundResponse) return Effect.succeed(errorPage(404, "Lead not found", e.message))
            if (e instanceof UnavailableResponse) return Effect.succeed(errorPage(503, "Not possible right now", e.message))
            return Effect.die(e)
          })
        )
      )
  })
)

/**
 * Paths under `/a/` that cannot be a token (too long for the router, an encoded slash…) get the
 * same "not recognised" page as an unknown token, not a bare 404.
 */
export const actionLinkNotFoundMiddleware = HttpLayerRouter.middleware(
  (effect) =>
    Effect.catchIf(
      effect,
      (e) => e instanceof HttpServerError.RouteNotFound && e.request.url.startsWith("/a/"),
      () => Effect.succeed(errorPage(404, "Link not recognised", "This action link is not valid. Check that the whole link was copied."))
    ),
  { global: true }
)
