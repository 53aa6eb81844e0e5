import type { ConsultationConfig, KeywordList } from "./ConsultationConfig.js"
import { containsPhrase, isWholePhrase, wordLine } from "./internal/text.js"

/** Why a keyword hands the conversation to the artist. */
export type KeywordHandoverReason = "human" | "refund" | "data_deletion" | "cover_up" | "price_negotiation"

/** Why the consultation stops and the artist takes over (keywords, or answers the bot could not read). */
export type HandoverReason = KeywordHandoverReason | "parse_failure"

/** What a message means before it is read as an answer. */
export type KeywordIntent =
  | { readonly _tag: "OptOut" }
  | { readonly _tag: "OptIn" }
  | { readonly _tag: "Handover"; readonly reason: KeywordHandoverReason }
  | { readonly _tag: "None" }

/** True when the message (as a word line) hits the list: a whole-message phrase or a phrase anywhere. */
export const matchesKeywordList = (line: string, list: KeywordList): boolean =>
  list.wholeMessage.some((p) => isWholePhrase(line, p)) || list.anywhere.some((p) => containsPhrase(line, p))

const HANDOVER_ORDER: ReadonlyArray<readonly [KeywordHandoverReason, keyof ConsultationConfig["keywords"]]> = [
  ["human", "human"],
  ["refund", "refund"],
  ["data_deletion", "dataDeletion"],
  ["price_negotiation", "priceNegotiation"],
  ["cover_up", "coverUp"]
]

/**
 * Classifies a message by the config's keyword lists: whole words and phrases, case-insensitive,
 * punctuation tolerant ("STOP!!", "Opt-out", "stop."). Opt-out wins over everything, then the
 * handover reasons in order human, refund, data deletion, price negotiation, cover-up; opt-in last.
 */
export const classifyKeyword = (text: string, config: ConsultationConfig): KeywordIntent => {
  const line = wordLine(typeof text === "string" ? text : "")
  if (line.trim().length === 0) return { _tag: "None" }
  const k = config.keywords
  if (matchesKeywordList(line, k.optOut)) return { _tag: "OptOut" }
  for (const [reason, list] of HANDOVER_ORDER) {
    if (matchesKeywordList(line, k[list])) return { _tag: "Handover", reason }
  }
  if (matchesKeywordList(line, k.optIn)) return { _tag: "OptIn" }
  return { _tag: "None" }
}
