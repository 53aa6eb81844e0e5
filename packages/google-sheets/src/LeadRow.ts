import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"

/**
 * The sheet's columns, in order (A, B, C, …). Columns 1–46 keep the prior system's order so rows it
 * wrote stay aligned; the last four were computed there but never written. The lead id stays in A:
 * upserts find a lead's row by it.
 */
export const SHEET_COLUMNS = [
  "lead_id",
  "whatsapp_number",
  "client_name",
  "instagram_handle",
  "idea_summary",
  "placement",
  "dimensions",
  "style",
  "complexity_level",
  "coverup_flag",
  "reference_links_count",
  "reference_media_count",
  "city",
  "country",
  "region_bucket",
  "requested_city",
  "offered_tour_city",
  "tour_offer_accepted",
  "waitlisted",
  "budget_amount",
  "region_min_budget",
  "below_min_budget",
  "estimated_category",
  "estimated_deposit_amount",
  "stripe_checkout_url",
  "stripe_session_id",
  "deposit_paid",
  "deposit_paid_at",
  "booking_status",
  "calendar_event_id",
  "calendar_start",
  "calendar_end",
  "status",
  "created_at",
  "last_client_message_at",
  "qualifying_started_at",
  "qualifying_completed_at",
  "approved_at",
  "rejected_at",
  "stale_at",
  "abandoned_at",
  "needs_follow_up_at",
  "needs_artist_reply_at",
  "handover_reason",
  "admin_notes",
  "last_error",
  "estimated_days",
  "deposit_sent_at",
  "booking_pending_at",
  "booked_at"
] as const

/** One column name. */
export type SheetColumn = (typeof SHEET_COLUMNS)[number]

const Text = Schema.optional(Schema.NullOr(Schema.String))
const Count = Schema.optional(Schema.NullOr(Schema.Int.pipe(Schema.nonNegative())))
/** Money in minor units (pence), as the rest of the system stores it. */
const Pence = Schema.optional(Schema.NullOr(Schema.Int))
const Flag = Schema.optional(Schema.NullOr(Schema.Boolean))
const Timestamp = Schema.optional(
  Schema.NullOr(Schema.Union(Schema.DateTimeUtcFromSelf, Schema.DateTimeZonedFromSelf, Schema.ValidDateFromSelf))
)

/** A lead as one sheet row. Only `lead_id` is required; a missing or null field writes an empty cell. */
export const LeadRow = Schema.Struct({
  lead_id: Schema.Union(Schema.NonEmptyTrimmedString, Schema.Int.pipe(Schema.nonNegative())),
  whatsapp_number: Text,
  client_name: Text,
  instagram_handle: Text,
  idea_summary: Text,
  placement: Text,
  dimensions: Text,
  style: Text,
  complexity_level: Count,
  coverup_flag: Flag,
  reference_links_count: Count,
  reference_media_count: Count,
  city: Text,
  country: Text,
  region_bucket: Text,
  requested_city: Text,
  offered_tour_city: Text,
  tour_offer_accepted: Flag,
  waitlisted: Flag,
  budget_amount: Pence,
  region_min_budget: Pence,
  below_min_budget: Flag,
  estimated_category: Text,
  estimated_deposit_amount: Pence,
  stripe_checkout_url: Text,
  stripe_session_id: Text,
  deposit_paid: Flag,
  deposit_paid_at: Timestamp,
  booking_status: Text,
  calendar_event_id: Text,
  calendar_start: Timestamp,
  calendar_end: Timestamp,
  status: Text,
  created_at: Timestamp,
  last_client_message_at: Timestamp,
  qualifying_started_at: Timestamp,
  qualifying_completed_at: Timestamp,
  approved_at: Timestamp,
  rejected_at: Timestamp,
  stale_at: Timestamp,
  abandoned_at: Timestamp,
  needs_follow_up_at: Timestamp,
  needs_artist_reply_at: Timestamp,
  handover_reason: Text,
  admin_notes: Text,
  last_error: Text,
  estimated_days: Count,
  deposit_sent_at: Timestamp,
  booking_pending_at: Timestamp,
  booked_at: Timestamp
})
export type LeadRow = typeof LeadRow.Type

// Compile-time check that the schema and the column list name the same fields.
type SameKeys<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : false
const _columnsMatchSchema: SameKeys<SheetColumn, keyof typeof LeadRow.fields> = true
void _columnsMatchSchema

/** A cell as written with `valueInputOption=RAW` (text is never read as a formula). */
export type SheetCell = string | number | boolean

const toCell = (value: LeadRow[SheetColumn]): SheetCell => {
  if (value === undefined || value === null) return ""
  if (value instanceof Date) return value.toISOString()
  if (DateTime.isDateTime(value)) return DateTime.formatIso(DateTime.toUtc(value))
  return value
}

/** The row's cells in `SHEET_COLUMNS` order; timestamps become ISO-8601 UTC text. */
export const toSheetRow = (row: LeadRow): Array<SheetCell> => SHEET_COLUMNS.map((column) => toCell(row[column]))
