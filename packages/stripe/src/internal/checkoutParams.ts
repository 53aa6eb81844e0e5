import type Stripe from "stripe"

/** A deposit request after validation: what goes into the Checkout Session. */
export interface CheckoutInput {
  readonly leadId: number
  readonly amountPence: number
  readonly description: string
  readonly slot: { readonly start: string; readonly end: string } | null
  readonly successUrl: string
  readonly cancelUrl: string
  readonly customerPhone: string | undefined
}

/**
 * The metadata we attach to both the session and its PaymentIntent, so events about either
 * (`checkout.session.*`, `charge.refunded`) can be traced back to the lead and its slot.
 */
export const depositMetadata = (input: CheckoutInput): Record<string, string> => {
  const metadata: Record<string, string> = { lead_id: String(input.leadId) }
  if (input.slot !== null) {
    metadata.slot_start = input.slot.start
    metadata.slot_end = input.slot.end
  }
  if (input.customerPhone !== undefined) metadata.customer_phone = input.customerPhone
  return metadata
}

/** Builds the `checkout.sessions.create` parameters for one GBP deposit; `expiresAt` is unix seconds, already clamped. */
export const checkoutParams = (input: CheckoutInput, expiresAt: number): Stripe.Checkout.SessionCreateParams => {
  const metadata = depositMetadata(input)
  return {
    mode: "payment",
    line_items: [
      {
        price_data: { currency: "gbp", unit_amount: input.amountPence, product_data: { name: input.description } },
        quantity: 1
      }
    ],
    client_reference_id: String(input.leadId),
    metadata,
    payment_intent_data: { description: input.description, metadata },
    expires_at: expiresAt,
    success_url: input.successUrl,
    cancel_url: input.cancelUrl
  }
}
