import * as Schema from "effect/Schema"

/** Copy keys of the catalogue the host renders (the prior system's `en_GB` catalogue, Appendix A of the reference). */
export const CATALOGUE_COPY_KEYS = [
  "test",
  "welcome",
  "ask_question",
  "panic_mode_response",
  "pending_approval",
  "awaiting_deposit",
  "deposit_paid",
  "booking_pending",
  "tour_accept",
  "tour_decline",
  "tour_prompt",
  "tour_waitlisted",
  "one_at_a_time_reprompt",
  "attachment_ack_reprompt",
  "refund_ack",
  "delete_data_ack",
  "opt_out_confirmation",
  "opt_out_prompt",
  "handover_coverup",
  "handover_high_complexity",
  "handover_client_question",
  "handover_question_prompt",
  "budget_below_minimum",
  "continue_prompt",
  "deposit_link",
  "payment_confirmation",
  "time_window_request",
  "time_window_collected",
  "time_window_follow_up",
  "time_window_follow_up_remaining",
  "slot_suggestions_empty",
  "slot_suggestions_header",
  "slot_suggestions_footer",
  "handover_generic",
  "handover_question",
  "error_no_questions",
  "repair_size",
  "repair_budget",
  "repair_location",
  "repair_slot",
  "confirmation_summary",
  "confirmation_slot",
  "handover_bridge"
] as const

/**
 * Copy keys the machine needs that the prior catalogue lacked (its texts were hard-coded or missing).
 * The README lists the suggested text for each; the host's catalogue must define them.
 */
export const MACHINE_COPY_KEYS = [
  "rejected",
  "booking_confirmed",
  "slot_taken_apology",
  "deposit_expired",
  "reminder_qualifying",
  "reminder_qualifying_final"
] as const

/** A copy key: catalogue keys plus the machine's additions. */
export const CopyKey = Schema.Literal(...CATALOGUE_COPY_KEYS, ...MACHINE_COPY_KEYS)

/** A copy key. */
export type CopyKey = typeof CopyKey.Type

/** The approved WhatsApp templates a message may fall back to outside the 24-hour window (language `en_GB`). */
export const TemplateName = Schema.Literal(
  "consultation_reminder_2_final",
  "next_steps_reply_to_continue",
  "deposit_received_next_steps"
)

/** An approved WhatsApp template name. */
export type TemplateName = typeof TemplateName.Type
