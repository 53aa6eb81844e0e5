import * as fs from "node:fs"
import * as path from "node:path"

/** One case recorded from the prior system (its answer may be one of its bugs). */
export interface PriorVector {
  readonly fn: string
  readonly input: unknown
  readonly expect: unknown
  readonly origin: "test" | "derived"
  readonly note?: string
}

const all: ReadonlyArray<PriorVector> = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, "fixtures/helper-parse-vectors.json"), "utf8")
)

/** The distinct string inputs the prior system's `fn` was tested with. */
export const priorInputs = (...fns: ReadonlyArray<string>): ReadonlyArray<string> => [
  ...new Set(all.filter((v) => fns.includes(v.fn) && typeof v.input === "string").map((v) => v.input as string))
]

/** The prior vectors of a function (structured inputs). */
export const priorVectors = (fn: string): ReadonlyArray<PriorVector> => all.filter((v) => v.fn === fn)
