import * as Data from "effect/Data"
import * as Either from "effect/Either"
import { normalise } from "./internal/text.js"

/** Why a budget answer could not be read. */
export type BudgetRejection =
  | "empty"
  | "no_amount"
  | "negative"
  | "zero"
  | "foreign_currency"
  | "too_large"

/** A budget answer that is not an amount in pounds. */
export class BudgetNotUnderstood extends Data.TaggedError("BudgetNotUnderstood")<{
  readonly input: string
  readonly reason: BudgetRejection
}> {}

/** Amounts above this (£1,000,000) are typos, not budgets. */
export const MAX_BUDGET_PENCE = 100_000_000

interface Candidate {
  readonly pence: number
  readonly marked: boolean
  readonly foreign: boolean
  readonly negative: boolean
}

// One amount: optional currency before, the number (thousands commas or plain, optional
// decimals), then an optional multiplier and an optional currency after. The multiplier "k"
// counts only as a whole token, so "400 kinda" is £400 and not £400,000.
const AMOUNT =
  /(-\s*)?([£$€]|\bgbp\b|\busd\b|\beur\b)?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s?(k|grand|thousand)(?![\p{L}\d]))?(?:\s?(£|\$|€|gbp|pounds?|quid|usd|dollars?|eur|euros?)(?![\p{L}\d]))?/gu

// Numbers that are clearly not money: sizes, durations and counts of things.
const NOT_MONEY_AFTER =
  /^\s?(?:(?:x|by|\*)\s?\d|(?:x|by|cm|cms|mm|in|inch|inches|"|ft|hours?|hrs?|h|days?|weeks?|wks?|months?|years?|yrs?|sessions?|pieces?|tattoos?|sleeves?|designs?|people|st|nd|rd|th)(?![\p{L}\d]))/u
const NUMBER_END = /\d\s*(?:k|grand|thousand)?\s*[£$€]?\s*$/u
const NOT_MONEY_BEFORE = /(?:x|by|\*)\s?$/u

const toPence = (whole: string, fraction: string | undefined): number => {
  const pounds = Number(whole.replace(/,/g, ""))
  if (fraction === undefined) return pounds * 100
  const digits = `${fraction}00`
  const pence = Number(digits.slice(0, 2))
  // Half-up on the third decimal: "400.555" is £400.56.
  const roundUp = Number(digits[2] ?? "0") >= 5 ? 1 : 0
  return pounds * 100 + pence + roundUp
}

const candidatesOf = (t: string): ReadonlyArray<Candidate> => {
  const out: Array<Candidate> = []
  for (const m of t.matchAll(AMOUNT)) {
    const [all, minus, before, whole, fraction, multiplier, after] = m
    if (whole === undefined) continue
    const start = m.index
    const end = start + all.length
    // Digits glued to an earlier number ("1.2.3") are not a new amount; "500-800" is a range.
    const gluedToNumber = minus === undefined && before === undefined && /[\d.]/.test(t[start - 1] ?? "")
    if (gluedToNumber) continue
    const rest = t.slice(end)
    const head = t.slice(0, start)
    if (multiplier === undefined && after === undefined && NOT_MONEY_AFTER.test(rest)) continue
    if (before === undefined && NOT_MONEY_BEFORE.test(head)) continue
    const scale = multiplier === undefined ? 1 : 1000
    const currency = `${before ?? ""}${after ?? ""}`
    const foreign = /[$€]|usd|eur|dollar/.test(currency)
    // "500-800" is a range, "-400" and "around -400" are negative.
    const negative = minus !== undefined && !NUMBER_END.test(head)
    // The second half of "£400-500" or "£300 to 500" is money because the first half is.
    const continuesRange =
      (minus !== undefined && NUMBER_END.test(head)) || /\d\s*(?:k\s*)?(?:to|and|or)\s*$/.test(head)
    const previous = out[out.length - 1]
    out.push({
      pence: toPence(whole, fraction) * scale,
      marked: currency.length > 0 || multiplier !== undefined || (continuesRange && previous?.marked === true),
      foreign,
      negative
    })
  }
  return out
}

/**
 * Reads a budget in pence: "£500", "500", "1.5k", "2,000", "2k" (£2,000), "£1,200.50", "around 800",
 * "500 quid". Choices, documented in the README:
 * - a range ("500-800", "between 500 and 800") reads as its top, the most the client will spend;
 * - with several amounts, those marked as money (£, "pounds", "k") win over bare numbers, and the
 *   largest wins, so "2 sleeves for 800" is £800;
 * - dollars and euros are refused (`foreign_currency`) rather than silently read as pounds.
 */
export const parseBudget = (text: string): Either.Either<number, BudgetNotUnderstood> => {
  const input = typeof text === "string" ? text : ""
  const t = normalise(input).toLowerCase()
  if (t.length === 0) return Either.left(new BudgetNotUnderstood({ input, reason: "empty" }))
  const all = candidatesOf(t)
  if (all.length === 0) return Either.left(new BudgetNotUnderstood({ input, reason: "no_amount" }))
  const positive = all.filter((c) => !c.negative)
  if (positive.length === 0) return Either.left(new BudgetNotUnderstood({ input, reason: "negative" }))
  const marked = positive.filter((c) => c.marked)
  const pool = marked.length > 0 ? marked : positive
  const sterling = pool.filter((c) => !c.foreign)
  if (sterling.length === 0) {
    return Either.left(new BudgetNotUnderstood({ input, reason: "foreign_currency" }))
  }
  const pick = sterling.reduce((best, c) => (c.pence > best.pence ? c : best))
  if (pick.pence <= 0) return Either.left(new BudgetNotUnderstood({ input, reason: "zero" }))
  if (pick.pence > MAX_BUDGET_PENCE) {
    return Either.left(new BudgetNotUnderstood({ input, reason: "too_large" }))
  }
  return Either.right(pick.pence)
}
