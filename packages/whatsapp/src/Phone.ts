/**
 * WhatsApp identifies people by their `wa_id`: the international number as digits only, without `+`.
 * These helpers produce that form and a masked form that is safe to write to logs.
 */

/** Normalises a phone number to WhatsApp's `wa_id` form: digits only, no `+`, spaces or punctuation. */
export const normalizeWaId = (input: string): string => input.replace(/\D+/g, "")

const MASK = "\u2022"

/** Masks a phone number for logs (`+44•••••••890`): only the first two and the last three digits stay visible (none under 8 digits). */
export const maskPhone = (waId: string): string => {
  const digits = normalizeWaId(waId)
  const n = digits.length
  // Real numbers have 8 to 15 digits; anything shorter would be mostly revealed, so it is masked entirely.
  if (n < 8) return `+${MASK.repeat(n)}`
  return `+${digits.slice(0, 2)}${MASK.repeat(n - 5)}${digits.slice(-3)}`
}
