export {
  type CheckoutSession,
  type DepositCheckout,
  type DepositCheckoutRequest,
  depositIdempotencyKey,
  type StripeCallError,
  StripeDeposits
} from "./StripeDeposits.js"
export {
  StripeAuthFailed,
  StripeCheckoutInvalid,
  StripeConnectionFailed,
  type StripeDepositsError,
  StripeIdempotencyConflict,
  type StripeOperation,
  StripeRequestFailed,
  StripeResponseInvalid
} from "./StripeErrors.js"
export {
  DEFAULT_TOLERANCE_SECONDS,
  type StripeEvent,
  StripeSignatureInvalid,
  type StripeSignatureProblem,
  signStripePayload,
  type VerifyStripeWebhookOptions,
  verifyStripeWebhook
} from "./StripeWebhook.js"
export {
  AsyncPaymentFailed,
  AsyncPaymentSucceeded,
  ChargeRefunded,
  CheckoutCompleted,
  CheckoutExpired,
  DepositEvent,
  decodeStripeEvent,
  Ignored,
  StripeEventInvalid
} from "./DepositEvent.js"
export {
  EXPIRY_SAFETY_MARGIN_SECONDS,
  MAX_EXPIRY_SECONDS,
  MIN_EXPIRY_SECONDS,
  clampExpiresAt
} from "./CheckoutExpiry.js"
