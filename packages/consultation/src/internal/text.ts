/**
 * Text normalisation shared by every parser. Client messages arrive from phones in every
 * Unicode shape (full-width digits, NBSP, zero-width joiners, curly quotes), so everything is
 * folded to one canonical form before any rule looks at it.
 */

/** Longest input any parser looks at; longer messages are cut so no rule can run away on them. */
export const MAX_PARSE_LENGTH = 2_000

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g
const SPACES = /[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g
const QUOTES = /[\u2018\u2019\u201B\u2032`´]/g
const DOUBLE_QUOTES = /[\u201C\u201D\u201F\u2033]/g
const DASHES = /[\u2010-\u2015\u2212]/g

/** NFKC, zero-width characters removed, typographic quotes and dashes folded, whitespace collapsed. */
export const normalise = (input: string): string =>
  input
    .slice(0, MAX_PARSE_LENGTH)
    .normalize("NFKC")
    .replace(ZERO_WIDTH, "")
    .replace(QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, "-")
    .replace(SPACES, " ")
    .trim()

/** Lower-cased words (letters, digits and inner apostrophes); everything else separates words. */
export const words = (input: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const raw of normalise(input).toLowerCase().split(/[^\p{L}\p{N}']+/u)) {
    const word = raw.replace(/^'+|'+$/g, "")
    if (word.length > 0) out.push(word)
  }
  return out
}

/** The words of a text joined by single spaces and padded, so phrase tests are whole-word tests. */
export const wordLine = (input: string): string => ` ${words(input).join(" ")} `

// Keyword phrases come from a small config, so their word lines are memoised (bounded, deterministic).
const phraseLines = new Map<string, string>()
const phraseLine = (phrase: string): string => {
  let line = phraseLines.get(phrase)
  if (line === undefined) {
    line = wordLine(phrase)
    if (phraseLines.size > 5_000) phraseLines.clear()
    phraseLines.set(phrase, line)
  }
  return line
}

/** True when `phrase` occurs in `line` (from {@link wordLine}) as whole words. */
export const containsPhrase = (line: string, phrase: string): boolean => {
  const needle = phraseLine(phrase)
  return needle.length > 2 && line.includes(needle)
}

/** True when the whole message is exactly `phrase`, ignoring case, spacing and punctuation. */
export const isWholePhrase = (line: string, phrase: string): boolean => {
  const needle = phraseLine(phrase)
  return needle.length > 2 && line === needle
}

/** Letters divided by non-space characters: tells prose from a bare number or size. */
export const letterRatio = (input: string): number => {
  const compact = input.replace(/\s+/g, "")
  if (compact.length === 0) return 0
  const letters = compact.match(/\p{L}/gu)?.length ?? 0
  return letters / compact.length
}

/** Number of letters in a text. */
export const letterCount = (input: string): number => input.match(/\p{L}/gu)?.length ?? 0

/** "london" and "LONDON" become "London"; mixed case is the client's choice and is kept. */
export const tidyName = (input: string): string => {
  const trimmed = input.replace(/^[\s,.;:!?\-–—/]+|[\s,.;:!?\-–—/]+$/g, "").replace(/\s+/g, " ")
  if (trimmed !== trimmed.toLowerCase() && trimmed !== trimmed.toUpperCase()) return trimmed
  return trimmed
    .toLowerCase()
    .replace(/(^|[\s\-'])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase())
}
