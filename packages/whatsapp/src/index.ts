/**
 * @tattoo-bot/whatsapp: the WhatsApp Cloud API as an Effect service, webhook signature checks and schemas,
 * and the 24-hour window policy with its template fallback.
 */
export * from "./OutboundMessage.js"
export * from "./Phone.js"
export * from "./WebhookEvent.js"
export * from "./WebhookHandshake.js"
export * from "./WebhookPayload.js"
export * from "./WebhookSignature.js"
export * from "./WhatsAppClient.js"
export * from "./WhatsAppDryRunLog.js"
export * from "./WhatsAppSendError.js"
export * from "./WindowPolicy.js"
