import * as Schema from "effect/Schema"

const nullable = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(Schema.NullOr(schema), { default: () => null })

/** The part of Stripe's `checkout.session` object we read, as it arrives on the wire (API responses and event payloads). */
export const CheckoutSessionObject = Schema.Struct({
  id: Schema.String.pipe(Schema.startsWith("cs_")),
  object: Schema.Literal("checkout.session"),
  url: nullable(Schema.String),
  status: nullable(Schema.Literal("open", "complete", "expired")),
  payment_status: Schema.Literal("paid", "unpaid", "no_payment_required"),
  amount_total: nullable(Schema.Int),
  currency: nullable(Schema.String),
  expires_at: Schema.Int,
  created: Schema.optional(Schema.Int),
  client_reference_id: nullable(Schema.String),
  metadata: nullable(Schema.Record({ key: Schema.String, value: Schema.String })),
  // Stripe sends the id, or the whole object when the caller asked for it to be expanded.
  payment_intent: nullable(Schema.Union(Schema.String, Schema.Struct({ id: Schema.String })))
})
export type CheckoutSessionObject = typeof CheckoutSessionObject.Type

/** The PaymentIntent id of a session, whether Stripe sent it as an id or expanded. */
export const paymentIntentIdOf = (session: CheckoutSessionObject): string | null =>
  session.payment_intent === null
    ? null
    : typeof session.payment_intent === "string"
      ? session.payment_intent
      : session.payment_intent.id

/** The slot we stored in metadata, or null when it is absent or only half there. */
export const slotOf = (
  metadata: Readonly<Record<string, string>> | null
): { readonly start: string; readonly end: string } | null => {
  const start = metadata?.slot_start
  const end = metadata?.slot_end
  return start !== undefined && start !== "" && end !== undefined && end !== "" ? { start, end } : null
}
