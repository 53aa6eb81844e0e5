/** Lexical tokens of a normalised reply. */
export type Token =
  /** A clock time with minutes ("2:30pm", "14.00", "14h30"). */
  | {
      readonly k: "clock"
      readonly h: number
      readonly m: number
      readonly mer: "am" | "pm" | undefined
      readonly padded: boolean
    }
  /** An hour with am/pm ("2pm"). */
  | { readonly k: "meridiem"; readonly h: number; readonly mer: "am" | "pm" }
  /** An hour without am/pm that is clearly a time ("2 o'clock", "2ish"). */
  | { readonly k: "hour"; readonly h: number }
  /** A 24-hour hour ("16h"). */
  | { readonly k: "hour24"; readonly h: number }
  | { readonly k: "slash"; readonly d: number; readonly mo: number; readonly y: number | undefined }
  | { readonly k: "ordnum"; readonly n: number }
  | { readonly k: "hash"; readonly n: number }
  | { readonly k: "num"; readonly n: number; readonly marker: boolean }
  | { readonly k: "word"; readonly w: string }
  /** Clause punctuation (`,` `;` `.` `!` `?`) or an alternative mark (`/` `&`). */
  | { readonly k: "sep"; readonly s: string }
  /** Prices, phone numbers and other digits that are never a choice. */
  | { readonly k: "junk" }

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g
const APOSTROPHES = /[\u2018\u2019\u02BC\u0060\u00B4]/g
const DASHES = /[\u2010-\u2015\u2212]/g
const SPACES = /\s+/g
const NON_ASCII_DIGIT = /[\u0660-\u0669\u06F0-\u06F9\u0966-\u096F\u09E6-\u09EF\u0E50-\u0E59]/g
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50]

const foldDigit = (c: string): string => {
  const cp = c.codePointAt(0) ?? 0
  for (const zero of DIGIT_ZEROS) {
    if (cp >= zero && cp <= zero + 9) return String(cp - zero)
  }
  return c
}

/**
 * NFKC (folds full-width digits and colons, NBSP), lower-case, drop zero-width characters,
 * fold a few other scripts' digits and collapse whitespace, so the grammar below sees ASCII forms.
 */
export const normalise = (raw: string): string => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII fast path is deliberate
  const ascii = /^[\x00-\x7F]*$/.test(raw)
  let s = ascii ? raw : raw.normalize("NFKC")
  if (!ascii) {
    s = s
      .replace(ZERO_WIDTH, "")
      .replace(APOSTROPHES, "'")
      .replace(DASHES, "-")
      .replace(NON_ASCII_DIGIT, foldDigit)
  }
  if (s.includes("@")) s = s.replaceAll("@", " at ")
  return s.toLowerCase().replace(SPACES, " ").trim()
}

const MER = "(a\\.?m\\.?|p\\.?m\\.?)"
// Tokens that start with a digit or a currency sign, tried in this order at that position.
const NUMERIC = new RegExp(
  [
    /* 1 */ `([£$€¥]\\s?\\d[\\d,]*(?:\\.\\d+)?k?|\\d[\\d,]*(?:\\.\\d+)?\\s?(?:k|pounds?|quid|gbp|usd|eur|euros?|dollars?|bucks|percent)(?![\\p{L}\\d])|\\d+%|\\+\\d[\\d -]{6,}\\d|\\d{3,}[ -]\\d{3,}(?:[ -]\\d+)*|\\d{5,}|-\\s?\\d+)`,
    /* 2,3,4 */ `(\\d{1,2})(?:\\s?:\\s?|\\.|h)(\\d{2})(?!\\d)(?:\\s?${MER}(?![\\p{L}\\d]))?`,
    /* 5,6 */ `(\\d{1,2})\\s?${MER}(?![\\p{L}\\d])`,
    /* 7 */ "(\\d{1,2})\\s?(?:o'?\\s?clock|ish)(?![\\p{L}\\d])",
    /* 8 */ "(\\d{2})h(?![\\p{L}\\d])",
    /* 9,10,11 */ "(\\d{1,2})/(\\d{1,2})(?:/(\\d{4}|\\d{2}))?(?![\\d/])",
    /* 12 */ "(\\d{1,2})(?:st|nd|rd|th)(?![\\p{L}\\d])",
    /* 13 */ "#\\s?(\\d{1,4})(?!\\d)",
    /* 14,15 */ "(\\d{1,4})(?!\\d)([).:](?!\\d))?"
  ].join("|"),
  "uy"
)
const WORD = /[\p{L}\p{M}]+(?:'[\p{L}\p{M}]+)*/uy
const LETTER = /[\p{L}\p{M}]/u

const meridiem = (s: string): "am" | "pm" => (s.charCodeAt(0) === 97 ? "am" : "pm")

const numeric = (m: RegExpExecArray): Token => {
  if (m[1] !== undefined) return { k: "junk" }
  if (m[2] !== undefined) {
    return {
      k: "clock",
      h: Number(m[2]),
      m: Number(m[3]),
      mer: m[4] === undefined ? undefined : meridiem(m[4]),
      padded: m[2].length === 2 && m[2].charCodeAt(0) === 48
    }
  }
  if (m[5] !== undefined) return { k: "meridiem", h: Number(m[5]), mer: meridiem(m[6] ?? "a") }
  if (m[7] !== undefined) return { k: "hour", h: Number(m[7]) }
  if (m[8] !== undefined) return { k: "hour24", h: Number(m[8]) }
  if (m[9] !== undefined) {
    const y = m[11] === undefined ? undefined : Number(m[11])
    return { k: "slash", d: Number(m[9]), mo: Number(m[10]), y: y === undefined ? undefined : y < 100 ? 2000 + y : y }
  }
  if (m[12] !== undefined) return { k: "ordnum", n: Number(m[12]) }
  if (m[13] !== undefined) return { k: "hash", n: Number(m[13]) }
  return { k: "num", n: Number(m[14]), marker: m[15] !== undefined }
}

/** Split a normalised reply into tokens. */
export const tokenise = (text: string): Array<Token> => {
  const out: Array<Token> = []
  let i = 0
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 32) {
      i++
      continue
    }
    const isDigit = c >= 48 && c <= 57
    if (isDigit || c === 35 || c === 45 || c === 43 || c === 163 || c === 36 || c === 8364 || c === 165) {
      NUMERIC.lastIndex = i
      const m = NUMERIC.exec(text)
      if (m !== null) {
        out.push(numeric(m))
        i = NUMERIC.lastIndex
        continue
      }
    }
    if ((c >= 97 && c <= 122) || (c > 127 && LETTER.test(text[i]!))) {
      WORD.lastIndex = i
      const m = WORD.exec(text)
      if (m !== null) {
        const w = m[0]
        out.push({ k: "word", w: w.includes("'") ? w.replaceAll("'", "") : w })
        i = WORD.lastIndex
        continue
      }
    }
    // Clause punctuation and alternative marks; anything else (emoji, quotes) carries no meaning.
    if (c === 44 || c === 59 || c === 33 || c === 63 || c === 47 || c === 38 || c === 46) {
      out.push({ k: "sep", s: text[i]! })
    }
    i++
  }
  return out
}
