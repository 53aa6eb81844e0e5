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
const TOKEN = new RegExp(
  [
    /* 1 */ "(\\s+)",
    /* 2 */ `([£$€¥]\\s?\\d[\\d,]*(?:\\.\\d+)?k?|\\d[\\d,]*(?:\\.\\d+)?\\s?(?:k|pounds?|quid|gbp|usd|eur|euros?|dollars?|bucks|percent)(?![\\p{L}\\d])|\\d+%|\\+\\d[\\d -]{6,}\\d|\\d{3,}[ -]\\d{3,}(?:[ -]\\d+)*|\\d{5,})`,
    /* 3,4,5 */ `(\\d{1,2})(?:\\s?:\\s?|\\.|h)(\\d{2})(?!\\d)(?:\\s?${MER}(?![\\p{L}\\d]))?`,
    /* 6,7 */ `(\\d{1,2})\\s?${MER}(?![\\p{L}\\d])`,
    /* 8 */ "(\\d{1,2})\\s?(?:o'?\\s?clock|ish)(?![\\p{L}\\d])",
    /* 9 */ "(\\d{2})h(?![\\p{L}\\d])",
    /* 10,11,12 */ "(\\d{1,2})/(\\d{1,2})(?:/(\\d{4}|\\d{2}))?(?![\\d/])",
    /* 13 */ "(\\d{1,2})(?:st|nd|rd|th)(?![\\p{L}\\d])",
    /* 14 */ "#\\s?(\\d{1,4})(?!\\d)",
    /* 15,16 */ "(\\d{1,4})(?!\\d)([).:](?!\\d))?",
    /* 17 */ "([\\p{L}\\p{M}]+(?:'[\\p{L}\\p{M}]+)*)",
    /* 18 */ "([,;!?/&.])",
    /* 19 */ "(-\\s?\\d+)",
    /* 20 */ "([^])"
  ].join("|"),
  "uy"
)

const meridiem = (s: string): "am" | "pm" => (s.charCodeAt(0) === 97 ? "am" : "pm")

/** Split a normalised reply into tokens. */
export const tokenise = (text: string): Array<Token> => {
  const out: Array<Token> = []
  TOKEN.lastIndex = 0
  let m: RegExpExecArray | null = TOKEN.exec(text)
  while (m !== null) {
    if (m[1] !== undefined || m[20] !== undefined) {
      // whitespace and stray symbols (emoji, quotes) carry no meaning here
    } else if (m[2] !== undefined || m[19] !== undefined) {
      out.push({ k: "junk" })
    } else if (m[3] !== undefined) {
      out.push({
        k: "clock",
        h: Number(m[3]),
        m: Number(m[4]),
        mer: m[5] === undefined ? undefined : meridiem(m[5]),
        padded: m[3].length === 2 && m[3].charCodeAt(0) === 48
      })
    } else if (m[6] !== undefined) {
      out.push({ k: "meridiem", h: Number(m[6]), mer: meridiem(m[7] ?? "a") })
    } else if (m[8] !== undefined) {
      out.push({ k: "hour", h: Number(m[8]) })
    } else if (m[9] !== undefined) {
      out.push({ k: "hour24", h: Number(m[9]) })
    } else if (m[10] !== undefined) {
      const y = m[12] === undefined ? undefined : Number(m[12])
      out.push({
        k: "slash",
        d: Number(m[10]),
        mo: Number(m[11]),
        y: y === undefined ? undefined : y < 100 ? 2000 + y : y
      })
    } else if (m[13] !== undefined) {
      out.push({ k: "ordnum", n: Number(m[13]) })
    } else if (m[14] !== undefined) {
      out.push({ k: "hash", n: Number(m[14]) })
    } else if (m[15] !== undefined) {
      out.push({ k: "num", n: Number(m[15]), marker: m[16] !== undefined })
    } else if (m[17] !== undefined) {
      out.push({ k: "word", w: m[17].includes("'") ? m[17].replaceAll("'", "") : m[17] })
    } else if (m[18] !== undefined) {
      out.push({ k: "sep", s: m[18] })
    }
    m = TOKEN.exec(text)
  }
  return out
}
