import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { areaCm2, type DimensionsRejection, DimensionsNotUnderstood, parseDimensions } from "../src/index.js"
import { priorInputs } from "./vectors.js"

type Expected = readonly [number, number] | DimensionsRejection

const PRIOR: Readonly<Record<string, Expected>> = {
  "10x12cm": [10, 12],
  "10 x 12 cm": [10, 12],
  "10×12cm": [10, 12],
  "10 x12cm": [10, 12],
  "10cmx12cm": [10, 12], // prior: 10 × 10
  "10cm x 12cm": [10, 12], // prior: 10 × 10
  "10x": "single_number_without_unit",
  x12: "single_number_without_unit",
  "10x12 inches": [25.4, 30.48],
  "200x300cm": "too_large",
  "150x50cm": "too_large",
  "50x150cm": "too_large",
  "10x12cm??": [10, 12],
  "10× 12 cm": [10, 12],
  "10 x 12": [10, 12], // prior: refused (no unit); cm is assumed
  "10\u00a0x\u00a012cm": [10, 12],
  "8x12cm": [8, 12],
  "10cm": [10, 10],
  "3x5 inches": [7.62, 12.7],
  "": "empty",
  "not a size": "descriptive",
  "10×7cm": [10, 7],
  "10 x 12 mm": [1, 1.2], // prior: refused (mm unknown)
  "about 5 inches wide": [12.7, 12.7],
  "5 interesting ideas": "single_number_without_unit", // prior: 5 inches ("in" inside "interesting")
  "10.5x7.25cm": [10.5, 7.25],
  "100x100cm": [100, 100],
  "40x40 inches": "too_large",
  "0x0cm": "zero", // prior: accepted
  "10 by 12 cm": [10, 12], // prior: 12 × 12
  "10X12CM": [10, 12],
  "palm-sized": "descriptive"
}

const MORE: ReadonlyArray<readonly [string, Expected]> = [
  ["10x15", [10, 15]],
  ["10 x 15 cm", [10, 15]],
  ["25cm x 30cm", [25, 30]],
  ["3 x 5 inches", [7.62, 12.7]],
  ['3"x5"', [7.62, 12.7]],
  ["3” x 5”", [7.62, 12.7]],
  ["100mm x 50mm", [10, 5]],
  ["about 10 by 15 cm", [10, 15]],
  ["10 * 15", [10, 15]],
  ["10 x 15 x 2", [10, 15]],
  ["2.5x3.5in", [6.35, 8.89]],
  ["8 cm wide and 12 cm tall", [8, 12]],
  ["１０ｘ１５ｃｍ", [10, 15]],
  ["1 foot", [30.48, 30.48]],
  ["small", "descriptive"],
  ["big", "descriptive"],
  ["huge", "descriptive"],
  ["half sleeve", "descriptive"],
  ["10", "single_number_without_unit"],
  ["?!", "no_number"],
  ["101x10cm", "too_large"]
]

const check = (input: string, expected: Expected) => {
  const r = parseDimensions(input)
  if (typeof expected === "string") {
    expect(Either.isLeft(r) && r.left).toBeInstanceOf(DimensionsNotUnderstood)
    expect(Either.isLeft(r) && r.left.reason).toBe(expected)
  } else {
    expect(r).toEqual(Either.right({ widthCm: expected[0], heightCm: expected[1] }))
  }
}

describe("parseDimensions", () => {
  it("covers every input the prior system was tested with", () => {
    expect(priorInputs("parse_dimensions").filter((i) => !(i in PRIOR))).toEqual([])
  })

  it.each(Object.entries(PRIOR))("prior input %o → %o", check)
  it.each(MORE)("%o → %o", check)

  it("computes the area without float noise", () => {
    expect(areaCm2({ widthCm: 7.62, heightCm: 12.7 })).toBe(96.77)
    expect(areaCm2({ widthCm: 10, heightCm: 15 })).toBe(150)
  })
})
