import * as Data from "effect/Data"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { CheckoutSessionObject, paymentIntentIdOf, slotOf } from "./internal/checkoutSession.js"
import { parseLeadId, resolveLeadId } from "./internal/leadId.js"

const Slot = Schema.NullOr(Schema.Struct({ start: Schema.String, end: Schema.String }))
const PaymentStatus = Schema.Literal("paid", "unpaid", "no_payment_required")

// The fields of the three events that carry a payment outcome for a Checkout Session.
const sessionPaymentFields = {
  eventId: Schema.String,
  sessionId: Schema.String,
  leadId: Schema.Int,
  paymentStatus: PaymentStatus,
  /** In minor units (pence for GBP): compare with the lead's locked deposit before fulfilling. */
  amountTotal: Schema.Int,
  /** Lower-case ISO currency, e.g. "gbp": compare with the lead's currency before fulfilling. */
  currency: Schema.String,
  paymentIntentId: Schema.NullOr(Schema.String),
  slot: Slot,
  created: Schema.DateFromSelf
}

/**
 * `checkout.session.completed`. Only `paymentStatus: "paid"` means the money is there; "unpaid" means a
 * delayed method (e.g. a bank debit) is still running and an async event will follow.
 */
export const CheckoutCompleted = Schema.TaggedStruct("CheckoutCompleted", sessionPaymentFields)
export type CheckoutCompleted = typeof CheckoutCompleted.Type

/** `checkout.session.async_payment_succeeded`: a delayed payment method settled; same fields as completed. */
export const AsyncPaymentSucceeded = Schema.TaggedStruct("AsyncPaymentSucceeded", sessionPaymentFields)
export type AsyncPaymentSucceeded = typeof AsyncPaymentSucceeded.Type

/** `checkout.session.async_payment_failed`: a delayed payment method failed; the deposit is not paid. */
export const AsyncPaymentFailed = Schema.TaggedStruct("AsyncPaymentFailed", sessionPaymentFields)
export type AsyncPaymentFailed = typeof AsyncPaymentFailed.Type

/** `checkout.session.expired`: the link can no longer be paid; release the hold. */
export const CheckoutExpired = Schema.TaggedStruct("CheckoutExpired", {
  eventId: Schema.String,
  sessionId: Schema.String,
  leadId: Schema.Int,
  slot: Slot,
  created: Schema.DateFromSelf
})
export type CheckoutExpired = typeof CheckoutExpired.Type

/** `charge.refunded`: all or part of a charge went back to the client. */
export const ChargeRefunded = Schema.TaggedStruct("ChargeRefunded", {
  eventId: Schema.String,
  chargeId: Schema.String,
  paymentIntentId: Schema.String,
  /** Total refunded so far on this charge, in minor units (Stripe reports the running total). */
  amountRefunded: Schema.Int,
  currency: Schema.String,
  /** True once the whole charge has been refunded. */
  fullyRefunded: Schema.Boolean,
  /** Present when the charge carries our metadata; otherwise find the lead by `paymentIntentId`. */
  leadId: Schema.optional(Schema.Int),
  created: Schema.DateFromSelf
})
export type ChargeRefunded = typeof ChargeRefunded.Type

/** Any other event type: acknowledge it (200) and do nothing. */
export const Ignored = Schema.TaggedStruct("Ignored", { eventId: Schema.String, type: Schema.String })
export type Ignored = typeof Ignored.Type

/** Every Stripe event, as the deposit flow sees it. */
export const DepositEvent = Schema.Union(
  CheckoutCompleted,
  AsyncPaymentSucceeded,
  AsyncPaymentFailed,
  CheckoutExpired,
  ChargeRefunded,
  Ignored
)
export type DepositEvent = typeof DepositEvent.Type

/**
 * An event of a type we handle whose object lacks what we need (no or contradictory lead id, no amount,
 * not the object the type promises). Nothing should be changed for it; the artist should look at it.
 */
export class StripeEventInvalid extends Data.TaggedError("StripeEventInvalid")<{
  readonly eventId: string | null
  readonly type: string | null
  readonly message: string
}> {}

// ---------------------------------------------------------------------------------------------------

const Envelope = Schema.Struct({
  id: Schema.String,
  type: Schema.String,
  created: Schema.Int,
  data: Schema.Struct({ object: Schema.Unknown })
})

const ChargeObject = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("charge"),
  amount: Schema.Int,
  amount_refunded: Schema.Int,
  currency: Schema.String,
  refunded: Schema.Boolean,
  payment_intent: Schema.optionalWith(
    Schema.NullOr(Schema.Union(Schema.String, Schema.Struct({ id: Schema.String }))),
    { default: () => null }
  ),
  metadata: Schema.optionalWith(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.String })), {
    default: () => null
  })
})

const decodeEnvelope = Schema.decodeUnknownEither(Envelope)
const decodeSession = Schema.decodeUnknownEither(CheckoutSessionObject)
const decodeCharge = Schema.decodeUnknownEither(ChargeObject)

const SESSION_TYPES = {
  "checkout.session.completed": "CheckoutCompleted",
  "checkout.session.async_payment_succeeded": "AsyncPaymentSucceeded",
  "checkout.session.async_payment_failed": "AsyncPaymentFailed",
  "checkout.session.expired": "CheckoutExpired"
} as const

type Envelope = typeof Envelope.Type

const failWith = (envelope: Pick<Envelope, "id" | "type"> | null, message: string) =>
  Either.left(new StripeEventInvalid({ eventId: envelope?.id ?? null, type: envelope?.type ?? null, message }))

const formatted = (error: ParseResult.ParseError) => ParseResult.TreeFormatter.formatErrorSync(error)

const decodeSessionEvent = (
  envelope: Envelope,
  tag: (typeof SESSION_TYPES)[keyof typeof SESSION_TYPES]
): Either.Either<DepositEvent, StripeEventInvalid> => {
  const decoded = decodeSession(envelope.data.object)
  if (Either.isLeft(decoded)) return failWith(envelope, `data.object is not a Checkout Session: ${formatted(decoded.left)}`)
  const session = decoded.right
  const lead = resolveLeadId(session.client_reference_id, session.metadata?.lead_id)
  switch (lead._tag) {
    case "Missing":
      return failWith(envelope, `Session ${session.id} carries no lead id (client_reference_id or metadata.lead_id)`)
    case "Malformed":
      return failWith(envelope, `Session ${session.id} has a malformed lead id ${JSON.stringify(lead.raw)}`)
    case "Conflicting":
      return failWith(
        envelope,
        `Session ${session.id} names two leads: client_reference_id ${lead.clientReferenceId}, metadata.lead_id ${lead.metadataLeadId}`
      )
  }
  const created = new Date(envelope.created * 1000)
  const slot = slotOf(session.metadata)
  if (tag === "CheckoutExpired") {
    return Either.right({ _tag: tag, eventId: envelope.id, sessionId: session.id, leadId: lead.leadId, slot, created })
  }
  if (session.amount_total === null || session.currency === null) {
    return failWith(envelope, `Session ${session.id} has no amount_total or currency, so the payment cannot be checked`)
  }
  return Either.right({
    _tag: tag,
    eventId: envelope.id,
    sessionId: session.id,
    leadId: lead.leadId,
    paymentStatus: session.payment_status,
    amountTotal: session.amount_total,
    currency: session.currency.toLowerCase(),
    paymentIntentId: paymentIntentIdOf(session),
    slot,
    created
  })
}

const decodeChargeRefunded = (envelope: Envelope): Either.Either<DepositEvent, StripeEventInvalid> => {
  const decoded = decodeCharge(envelope.data.object)
  if (Either.isLeft(decoded)) return failWith(envelope, `data.object is not a Charge: ${formatted(decoded.left)}`)
  const charge = decoded.right
  const paymentIntentId =
    charge.payment_intent === null
      ? null
      : typeof charge.payment_intent === "string"
        ? charge.payment_intent
        : charge.payment_intent.id
  if (paymentIntentId === null) {
    return failWith(envelope, `Charge ${charge.id} has no payment_intent, so it cannot be matched to a deposit`)
  }
  const leadId = parseLeadId(charge.metadata?.lead_id)
  return Either.right({
    _tag: "ChargeRefunded",
    eventId: envelope.id,
    chargeId: charge.id,
    paymentIntentId,
    amountRefunded: charge.amount_refunded,
    currency: charge.currency.toLowerCase(),
    fullyRefunded: charge.refunded,
    ...(leadId === undefined ? {} : { leadId }),
    created: new Date(envelope.created * 1000)
  })
}

/**
 * Turns a verified Stripe event (or any parsed JSON) into the deposit flow's vocabulary. Pure: never
 * throws; unknown types become `Ignored`, handled types missing what we need become `StripeEventInvalid`.
 */
export const decodeStripeEvent = (event: unknown): Either.Either<DepositEvent, StripeEventInvalid> => {
  const envelope = decodeEnvelope(event)
  if (Either.isLeft(envelope)) {
    const partial = event as { id?: unknown; type?: unknown } | null
    const id = typeof partial?.id === "string" ? partial.id : null
    const type = typeof partial?.type === "string" ? partial.type : null
    return Either.left(
      new StripeEventInvalid({ eventId: id, type, message: `Not a Stripe event: ${formatted(envelope.left)}` })
    )
  }
  const value = envelope.right
  if (Object.hasOwn(SESSION_TYPES, value.type)) {
    return decodeSessionEvent(value, SESSION_TYPES[value.type as keyof typeof SESSION_TYPES])
  }
  if (value.type === "charge.refunded") return decodeChargeRefunded(value)
  return Either.right({ _tag: "Ignored", eventId: value.id, type: value.type })
}
