import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { type BudgetRejection, BudgetNotUnderstood, parseBudget } from "../src/index.js"
import { priorInputs } from "./vectors.js"

type Expected = number | BudgetRejection

// Every input the prior system was tested with, and what we answer. Where the prior answer was a
// bug the comment says what it answered.
const PRIOR: Readonly<Record<string, Expected>> = {
  "1,200": 120000,
  "£1,200": 120000,
  "£400.00": 40000,
  "400.50": 40050,
  "£400": 40000,
  "400£": 40000,
  "400 gbp": 40000,
  "GBP 400": 40000,
  "400 pounds": 40000,
  "$500": "foreign_currency", // prior: £500 (dollars read as pounds)
  "500 usd": "foreign_currency", // prior: £500
  "£ 400": 40000,
  "I can do £": "no_amount",
  "not a number": "no_amount",
  "": "empty",
  "0": "zero",
  "£0": "zero",
  "budget is 0": "zero",
  "-400": "negative",
  "£-400": "negative",
  "400-500": 50000, // range → its top (prior: first number)
  "£400-500": 50000,
  "£0-£200": 20000, // prior: refused
  "£400 and I can stretch": 40000,
  "around 400": 40000,
  "approx £400": 40000,
  "400": 40000,
  "£4": 400, // parsed; the budget question then asks again (below the £50 floor)
  "1000": 100000,
  "~400": 40000,
  "400k": 40000000,
  "1k": 100000,
  "four hundred": "no_amount",
  "  £400  ": 40000,
  "presupuesto £400": 40000,
  "around -500": "negative",
  "1.5k": 150000,
  "£400\u00a0": 40000,
  "  \u00a0 £ 400 \u00a0  ": 40000,
  "500": 50000,
  "400gbp": 40000,
  "4": 400,
  "500 euros": "foreign_currency", // prior: £500
  "between 300 and 500": 50000, // prior: £300 (first number)
  "400 - 500": 50000,
  "2 sleeves for 800": 80000, // prior: £2 (first number even when it counts sleeves)
  "£400 k": 40000000,
  "400 kinda flexible": 40000, // prior: £400,000 ("k" of "kinda" multiplied)
  "1.2.3": 120,
  "400.555": 40056
}

const MORE: ReadonlyArray<readonly [string, Expected]> = [
  ["£500", 50000],
  ["2k", 200000],
  ["2K", 200000],
  ["£2k", 200000],
  ["2 grand", 200000],
  ["about £2.5k tops", 250000],
  ["2,000", 200000],
  ["£1,200.50", 120050],
  ["around 800", 80000],
  ["500-800", 80000],
  ["£500 - £800", 80000],
  ["£300 to 500", 50000],
  ["2k-3k", 300000],
  ["500 quid", 50000],
  ["€500 or £400", 40000],
  ["€500", "foreign_currency"],
  ["10x15", "no_amount"],
  ["5 hours", "no_amount"],
  ["1,000,000", 100000000],
  ["£2,000,001", "too_large"],
  ["１５００", 150000]
]

const check = (input: string, expected: Expected) => {
  const r = parseBudget(input)
  if (typeof expected === "number") {
    expect(r).toEqual(Either.right(expected))
  } else {
    expect(Either.isLeft(r)).toBe(true)
    if (Either.isLeft(r)) {
      expect(r.left).toBeInstanceOf(BudgetNotUnderstood)
      expect(r.left.reason).toBe(expected)
    }
  }
}

describe("parseBudget", () => {
  it("covers every input the prior system was tested with", () => {
    expect(priorInputs("parse_budget_from_text").filter((i) => !(i in PRIOR))).toEqual([])
  })

  it.each(Object.entries(PRIOR))("prior input %o → %o", check)
  it.each(MORE)("%j → %s", check)

  it('"2k" is £2,000 wherever it appears', () => {
    for (const t of ["2k", "budget 2k", "about 2k", "2k max", "£2k"]) expect(parseBudget(t)).toEqual(Either.right(200000))
  })

  it("never throws on non-string input", () => {
    expect(Either.isLeft(parseBudget(undefined as unknown as string))).toBe(true)
  })
})
