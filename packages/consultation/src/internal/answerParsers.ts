import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { parseBudget } from "../Budget.js"
import type { ParsedAnswer } from "../ConsultationAnswers.js"
import type { ConsultationConfig, QuestionKey } from "../ConsultationConfig.js"
import type { CopyKey } from "../Copy.js"
import { parseDimensions } from "../Dimensions.js"
import { matchCountry, parseLocation } from "../Location.js"
import { containsPhrase, letterCount, letterRatio, normalise, tidyName, wordLine } from "./text.js"

/** Why an answer was not accepted, and which prompt asks again. */
export interface AnswerRejected {
  readonly repairKey: CopyKey
  /** Counted rejections lead to a handover after `maxParseFailures`; reprompts do not count. */
  readonly counted: boolean
  readonly reason: string
}

type Result = Either.Either<ParsedAnswer, AnswerRejected>

const reject = (repairKey: CopyKey, reason: string, counted = true): Result =>
  Either.left({ repairKey, counted, reason })

const text = (t: string): Result => Either.right({ _tag: "Text", text: t })
const nothing: Result = Either.right({ _tag: "Nothing" })

const NO_WORDS = ["no", "n", "nope", "nah", "none", "no thanks", "not really", "nothing", "n a", "na", "no i don't", "i don't"]
const SAME_WORDS = ["same", "same city", "same as above", "same place", "none", "no", "n", "nope", "n a", "na", "here", "not needed", "no thanks", "same as where i live"]

const isOneOf = (line: string, phrases: ReadonlyArray<string>): boolean => phrases.some((p) => line === wordLine(p))

// A message that is only a price or only a size, sent where a description belongs: the client
// is answering ahead, so the question is asked again without counting a failure.
const looksLikeOtherField = (t: string): boolean => {
  const ratio = letterRatio(t)
  if (ratio < 0.3 && Either.isRight(parseBudget(t))) return true
  return ratio < 0.5 && Either.isRight(parseDimensions(t))
}

const description = (t: string): Result => {
  if (looksLikeOtherField(t)) return reject("one_at_a_time_reprompt", "answer_to_another_question", false)
  if (letterCount(t) < 2) return reject("repair_answer", "too_short")
  return text(t)
}

const COMPLEXITY_WORDS: ReadonlyArray<readonly [1 | 2 | 3, ReadonlyArray<string>]> = [
  [3, ["3", "three", "high", "high detail", "highly detailed", "very detailed", "detailed", "realism", "realistic", "complex"]],
  [2, ["2", "two", "medium", "medium detail", "moderate", "some detail", "mid"]],
  [1, ["1", "one", "simple", "simple linework", "linework", "line work", "basic", "minimal", "minimalist", "low"]]
]

/** "1".."3", "2)", "option 2", or the words of the three levels. */
export const parseComplexity = (t: string): Option.Option<1 | 2 | 3> => {
  const line = wordLine(t)
  const digit = /^\s*(?:option\s*|level\s*)?([1-3])(?![\d.])/i.exec(normalise(t))
  if (digit !== null) return Option.some(Number(digit[1]) as 1 | 2 | 3)
  for (const [level, phrases] of COMPLEXITY_WORDS) {
    if (phrases.some((p) => containsPhrase(line, p))) return Option.some(level)
  }
  return Option.none()
}

const YES = ["yes", "y", "yeah", "yep", "yup", "ya", "it is", "true", "correct", "sure is"]
const NO = ["no", "n", "nope", "nah", "false", "not a cover up", "it's not", "it isn't", "new", "brand new", "fresh", "first tattoo", "new tattoo", "fresh skin"]
const UNSURE = ["not sure", "unsure", "maybe", "don't know", "dont know", "idk", "no idea", "possibly", "perhaps"]
const COVER_WORDS = ["cover up", "coverup", "rework", "re work", "touch up", "touchup"]

/** Yes/no, read from the first words ("Yes it is", "no, it's a new one", "nah"). */
export const parseYesNo = (t: string): Option.Option<boolean> => {
  const line = wordLine(t)
  const first = line.trim().split(" ")[0] ?? ""
  if (UNSURE.some((p) => containsPhrase(line, p))) return Option.none()
  if (first === "1") return Option.some(true)
  if (first === "0") return Option.some(false)
  if (NO.some((p) => line.startsWith(wordLine(p)))) return Option.some(false)
  if (YES.some((p) => line.startsWith(wordLine(p)))) return Option.some(true)
  if (/ (?:not|\p{L}+n't) /u.test(line)) return Option.some(false)
  if (COVER_WORDS.some((p) => containsPhrase(line, p))) return Option.some(true)
  return Option.none()
}

const HANDLE_URL = /instagram\.com\/([A-Za-z0-9._]{1,30})/i
const HANDLE_AT = /@([A-Za-z0-9._]{1,30})/
const HANDLE_BARE = /^([A-Za-z0-9._]{1,30})$/

/** An Instagram handle without "@" from "@name", a profile link or a bare name; "no" means none. */
export const parseHandle = (t: string): Result => {
  if (isOneOf(wordLine(t), NO_WORDS)) return nothing
  const m = HANDLE_URL.exec(t) ?? HANDLE_AT.exec(t) ?? HANDLE_BARE.exec(t)
  const handle = m?.[1]?.replace(/\.+$/, "")
  if (handle !== undefined && handle.length > 0) return Either.right({ _tag: "Handle", handle })
  return text(t)
}

const countryAnswer = (t: string): Result => {
  const found = matchCountry(t)
  if (Option.isSome(found)) return Either.right({ _tag: "Country", country: found.value, recognised: true })
  const located = parseLocation("", t)
  if (Either.isRight(located) && located.right.country !== null) {
    return Either.right({ _tag: "Country", country: located.right.country, recognised: false })
  }
  return reject("repair_answer", "no_country")
}

/** Reads the answer to one question; a rejection names the prompt that asks again. */
export const parseAnswer = (key: QuestionKey, raw: string, config: ConsultationConfig): Result => {
  const t = normalise(raw)
  switch (key) {
    case "idea":
    case "placement":
      return description(t)
    case "dimensions":
      return Either.match(parseDimensions(t), {
        onLeft: (e) => reject("repair_size", e.reason),
        onRight: (d) => Either.right({ _tag: "Dimensions", widthCm: d.widthCm, heightCm: d.heightCm })
      })
    case "complexity":
      return Option.match(parseComplexity(t), {
        onNone: () => reject("repair_complexity", "not_a_level"),
        onSome: (level) => Either.right({ _tag: "Complexity", level })
      })
    case "coverup":
      return Option.match(parseYesNo(t), {
        onNone: () => reject("repair_coverup", "not_yes_or_no"),
        onSome: (value) => Either.right({ _tag: "YesNo", value })
      })
    case "reference_images":
      return isOneOf(wordLine(t), NO_WORDS) ? nothing : text(t)
    case "budget":
      return Either.match(parseBudget(t), {
        onLeft: (e) => reject(e.reason === "foreign_currency" ? "repair_budget_currency" : "repair_budget", e.reason),
        onRight: (pence) =>
          pence < config.budgetFloorPence
            ? reject("repair_budget", "below_floor")
            : Either.right({ _tag: "Budget", pence })
      })
    case "location_city":
      return Either.match(parseLocation(t), {
        onLeft: (e) => reject("repair_location", e.reason),
        onRight: (l) => Either.right({ _tag: "Location", city: l.city, country: l.country, countryInferred: l.countryInferred })
      })
    case "location_country":
      return countryAnswer(t)
    case "instagram_handle":
      return parseHandle(t)
    case "travel_city":
      return isOneOf(wordLine(t), SAME_WORDS) ? nothing : text(tidyName(t))
    case "style":
    case "timing":
      return text(t)
  }
}
