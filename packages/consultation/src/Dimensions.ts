import * as Data from "effect/Data"
import * as Either from "effect/Either"
import { normalise } from "./internal/text.js"

/** A tattoo's size in centimetres, as the client gave it (width first). */
export interface Dimensions {
  readonly widthCm: number
  readonly heightCm: number
}

/** Why a size answer could not be read; the bot answers with the size repair prompt. */
export type DimensionsRejection =
  | "empty"
  | "descriptive"
  | "no_number"
  | "single_number_without_unit"
  | "zero"
  | "too_large"

/** A size answer that is not a usable size. */
export class DimensionsNotUnderstood extends Data.TaggedError("DimensionsNotUnderstood")<{
  readonly input: string
  readonly reason: DimensionsRejection
}> {}

/** Largest side accepted, in cm: anything bigger is a typo or not a tattoo size. */
export const MAX_SIDE_CM = 100

const UNIT_TO_CM: Readonly<Record<string, number>> = {
  mm: 0.1,
  millimetre: 0.1,
  millimetres: 0.1,
  millimeter: 0.1,
  millimeters: 0.1,
  cm: 1,
  cms: 1,
  centimetre: 1,
  centimetres: 1,
  centimeter: 1,
  centimeters: 1,
  in: 2.54,
  inch: 2.54,
  inches: 2.54,
  '"': 2.54,
  "''": 2.54,
  ft: 30.48,
  foot: 30.48,
  feet: 30.48,
  "'": 30.48
}

const NUMBER = String.raw`(\d{1,4}(?:\.\d{1,3})?|\.\d{1,3})`
// Word units must end at a word boundary, so "5 interesting" is never "5 in".
const UNIT = String.raw`(?:\s?(millimet(?:re|er)s?|centimet(?:re|er)s?|mm|cms?|inch(?:es)?|in|ft|foot|feet)(?=$|x|[^\p{L}\d])|\s?(''|"|'))?`
const SEPARATOR = String.raw`\s*(?:x|by|\*)\s*`
const PAIR = new RegExp(`${NUMBER}${UNIT}${SEPARATOR}${NUMBER}${UNIT}`, "u")
const SINGLE_WITH_UNIT = new RegExp(
  `${NUMBER}\\s?(millimet(?:re|er)s?|centimet(?:re|er)s?|mm|cms?|inch(?:es)?|in|ft|foot|feet)(?![\\p{L}\\d])|${NUMBER}(''|")`,
  "gu"
)

const round2 = (n: number): number => Math.round(n * 100) / 100

const factor = (unit: string | undefined): number | undefined =>
  unit === undefined ? undefined : UNIT_TO_CM[unit]

const check = (input: string, widthCm: number, heightCm: number) => {
  if (!(widthCm > 0 && heightCm > 0)) {
    return Either.left(new DimensionsNotUnderstood({ input, reason: "zero" }))
  }
  if (widthCm > MAX_SIDE_CM || heightCm > MAX_SIDE_CM) {
    return Either.left(new DimensionsNotUnderstood({ input, reason: "too_large" }))
  }
  return Either.right<Dimensions>({ widthCm: round2(widthCm), heightCm: round2(heightCm) })
}

/**
 * Reads a tattoo size: "10x15" (cm assumed), "10 x 15 cm", "25cm x 30cm", "3 x 5 inches", `3"x5"`,
 * "100mm x 50mm", "10 by 15cm"; a single measure with a unit ("10cm") is read as a square.
 * Words alone ("palm-sized", "small", "big") are refused so the bot can ask for numbers.
 */
export const parseDimensions = (text: string): Either.Either<Dimensions, DimensionsNotUnderstood> => {
  const input = typeof text === "string" ? text : ""
  const t = normalise(input).toLowerCase().replace(/[×✕✖╳]/g, "x")
  if (t.length === 0) return Either.left(new DimensionsNotUnderstood({ input, reason: "empty" }))

  const pair = PAIR.exec(t)
  if (pair !== null) {
    const [, w, wWordUnit, wMarkUnit, h, hWordUnit, hMarkUnit] = pair
    const wUnit = factor(wWordUnit ?? wMarkUnit)
    const hUnit = factor(hWordUnit ?? hMarkUnit)
    // A unit written once ("3 x 5 inches", "10cm x 12") applies to both sides; none at all means cm.
    const wf = wUnit ?? hUnit ?? 1
    const hf = hUnit ?? wUnit ?? 1
    return check(input, Number(w) * wf, Number(h) * hf)
  }

  // "8cm wide and 12cm tall" gives two measures; one measure alone ("10cm") is a square.
  const measures = Array.from(t.matchAll(SINGLE_WITH_UNIT), (m) => Number(m[1] ?? m[3]) * (factor(m[2] ?? m[4]) ?? 1))
  const [first, second] = measures
  if (first !== undefined) return check(input, first, second ?? first)

  if (!/\d/.test(t)) {
    const reason = /\p{L}/u.test(t) ? "descriptive" : "no_number"
    return Either.left(new DimensionsNotUnderstood({ input, reason }))
  }
  return Either.left(new DimensionsNotUnderstood({ input, reason: "single_number_without_unit" }))
}

/** Area in cm², rounded to two decimals so 7.62 × 12.7 does not print float noise. */
export const areaCm2 = (d: Dimensions): number => round2(d.widthCm * d.heightCm)
