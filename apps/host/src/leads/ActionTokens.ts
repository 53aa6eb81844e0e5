import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Option } from "effect"
import { createHash, randomBytes } from "node:crypto"
import { insertRow } from "../db/WriteBuffer.js"
import { AppConfig } from "../config/AppConfig.js"
import type { LeadRecord } from "./LeadStore.js"

/** The one-tap actions an artist's link can perform. */
export type TokenAction = "approve" | "reject" | "mark_booked" | "send_deposit" | "resume"

/** Which links each artist notification carries. */
const LINKS_BY_KIND: Record<string, ReadonlyArray<{ readonly action: TokenAction; readonly label: string }>> = {
  lead_ready_for_review: [
    { action: "approve", label: "✅ Approve" },
    { action: "reject", label: "❌ Reject" }
  ],
  needs_follow_up: [
    { action: "approve", label: "✅ Approve anyway" },
    { action: "reject", label: "❌ Reject" }
  ],
  approval_stale: [
    { action: "approve", label: "✅ Approve" },
    { action: "reject", label: "❌ Reject" }
  ],
  needs_reply: [{ action: "resume", label: "🤖 Hand back to the bot" }],
  deposit_paid: [{ action: "mark_booked", label: "📅 Mark booked" }],
  approved_send_deposit: [{ action: "send_deposit", label: "💷 Send deposit link" }]
}

/** SHA-256 of a token: only the hash is stored, so a database leak reveals no usable link. */
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex")

/** Single-use, expiring, status-bound action links for the artist. */
export class ActionTokens extends Context.Tag("@tattoo-bot/host/ActionTokens")<
  ActionTokens,
  {
    /** Creates a token for `action` on the lead in its current status; returns the link. */
    readonly create: (lead: LeadRecord, action: TokenAction) => Effect.Effect<string, never, SqlClient.SqlClient>
    /** The links an artist notification of `kind` carries (none when the kind has none). */
    readonly linksFor: (
      lead: LeadRecord,
      kind: string
    ) => Effect.Effect<ReadonlyArray<{ readonly label: string; readonly url: string }>, never, SqlClient.SqlClient>
  }
>() {
  static readonly layer = Layer.effect(
    ActionTokens,
    Effect.gen(function* () {
      const config = yield* AppConfig
      const base = Option.getOrElse(config.actionTokenBaseUrl, () => `http://localhost:${config.port}`)
      const create = (lead: LeadRecord, action: TokenAction) =>
        Effect.gen(function* () {
          // 256 random bits, URL-safe.
          const token = randomBytes(32).toString("base64url")
          // Sent with the transaction's other buffered writes, when there is a write buffer.
          yield* insertRow("action_tokens", {
            token_hash: hashToken(token),
            lead_id: lead.id,
            action,
            required_status: lead.status,
            expires_at: new Date(Date.now() + config.actionTokenExpiryDays * 86_400_000)
          })
          return `${base}/a/${token}`
        }).pipe(Effect.orDie)
      return {
        create,
        linksFor: (lead, kind) =>
          Effect.forEach(LINKS_BY_KIND[kind] ?? [], ({ action, label }) => Effect.map(create(lead, action), (url) => ({ label, url })))
      }
    })
  )
}
