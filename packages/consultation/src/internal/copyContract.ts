/**
 * The copy catalogue's contract: every key the engine or the host renders, and the
 * placeholders each key may use. Config decoding refuses a catalogue that lacks a key or uses
 * a placeholder its caller never supplies, so `{x}` can never reach a client.
 * `{artist_name}` is always available (it comes from the config).
 */
export const COPY_PLACEHOLDERS = {
  // consultation flow
  welcome: ["question_text"],
  ask_question: ["question_text"],
  one_at_a_time_reprompt: ["question_text"],
  attachment_ack_reprompt: ["question_text"],
  unsupported_message_reprompt: ["question_text"],
  repair_answer: ["question_text"],
  repair_size: [],
  repair_budget: [],
  repair_budget_currency: [],
  repair_location: [],
  repair_complexity: [],
  repair_coverup: [],
  confirmation_summary: ["size", "location", "budget"],
  consultation_complete: ["category"],
  budget_below_minimum: ["min_gbp"],
  tour_offer: ["city", "dates"],
  waitlisted: ["city"],
  // keywords and handover
  opt_out_confirmation: [],
  opt_out_prompt: [],
  handover_client_question: [],
  handover_generic: [],
  handover_coverup: [],
  handover_bridge: [],
  handover_hold: [],
  refund_ack: [],
  delete_data_ack: [],
  panic_mode_response: [],
  // replies by lead status (host)
  pending_approval: [],
  follow_up_pending: [],
  tour_accept: ["city"],
  tour_decline: ["city"],
  tour_prompt: [],
  tour_waitlisted: [],
  approved_no_calendar: [],
  rejected: [],
  awaiting_deposit: [],
  booking_pending: [],
  booking_confirmed: [],
  reminder_qualifying: [],
  reminder_qualifying_final: [],
  deposit_paid: [],
  handover_question: [],
  handover_question_prompt: [],
  handover_high_complexity: [],
  continue_prompt: ["question_text"],
  error_no_questions: [],
  test: ["name"],
  // slots, deposit, booking (host)
  slot_suggestions_header: ["tz_name"],
  slot_suggestions_footer: [],
  slot_suggestions_empty: [],
  confirmation_slot: ["slot_number"],
  time_window_follow_up: [],
  payment_confirmation: ["amount_gbp"],
  slot_offer_intro: ["timezone"],
  slot_offer_footer: ["count"],
  slot_clarify: ["options"],
  slot_rejected_reoffer: ["count"],
  repair_slot: ["count"],
  slot_taken_apology: ["slot"],
  slot_held: ["slot"],
  time_window_request: [],
  time_window_follow_up_remaining: ["remaining"],
  time_window_collected: ["window_count"],
  deposit_link: ["amount_gbp", "checkout_url"],
  deposit_received: ["amount_gbp"],
  deposit_expired: []
} as const satisfies Record<string, ReadonlyArray<string>>

/** Every copy key the catalogue must define. */
export type CopyKey = keyof typeof COPY_PLACEHOLDERS

/** The placeholders a given copy key may use. */
export type CopyVars<K extends CopyKey> = { readonly [P in (typeof COPY_PLACEHOLDERS)[K][number]]: string | number }

export const COPY_KEYS = Object.keys(COPY_PLACEHOLDERS) as ReadonlyArray<CopyKey>

/** Placeholders written `{name}`; anything else in braces is literal text. */
export const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g

/** The placeholder names a template uses, in order of appearance. */
export const placeholdersIn = (template: string): ReadonlyArray<string> =>
  Array.from(template.matchAll(PLACEHOLDER), (m) => m[1] ?? "")
