/**
 * Strict readers for the date strings the engine accepts. `Date.parse` is not used: it reads
 * an offset-less string in the process's own zone, which would make results depend on the host.
 */

import type { ZoneOffsets } from "./zone.js"

/** A parsed ISO-8601 value: its wall-clock reading (naive epoch) and, when written, its offset. */
export interface IsoParts {
  readonly naive: number
  readonly offset: number | undefined
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Naive midnight of a calendar date (days-from-civil, proleptic Gregorian), or `undefined` if there is no such date. */
const validDate = (year: number, month: number, day: number): number | undefined => {
  if (month < 1 || month > 12 || day < 1) return undefined
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!
  if (day > days) return undefined
  // `Date.UTC` costs more than this arithmetic and runs twice per busy entry.
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return (era * 146097 + doe - 719468) * 86_400_000
}

const ZERO = 48
const HYPHEN = 45
const PLUS = 43
const COLON = 58
const DOT = 46
const T = 84
const Z_UPPER = 90
const Z_LOWER = 122

/** Value of `length` ASCII digits at `at`, or -1 when any is not a digit. */
const digits = (text: string, at: number, length: number): number => {
  let value = 0
  for (let i = at; i < at + length; i++) {
    const d = text.charCodeAt(i) - ZERO
    if (d < 0 || d > 9) return -1
    value = value * 10 + d
  }
  return value
}

const offsetMs = (sign: number, hours: number, minutes: number): number | undefined =>
  hours < 0 || hours > 23 || minutes < 0 || minutes > 59 ? undefined : sign * (hours * 60 + minutes) * 60_000

// Calendar APIs send `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`: reading that by character code is
// about ten times faster than the general pattern, and busy lists run to thousands of entries.
const parseCanonical = (text: string): IsoParts | undefined => {
  if (text.length < 20) return undefined
  if (text.charCodeAt(4) !== HYPHEN || text.charCodeAt(7) !== HYPHEN || text.charCodeAt(10) !== T) return undefined
  if (text.charCodeAt(13) !== COLON || text.charCodeAt(16) !== COLON) return undefined
  const hour = digits(text, 11, 2)
  const minute = digits(text, 14, 2)
  const second = digits(text, 17, 2)
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined
  const year = digits(text, 0, 4)
  const date = year < 0 ? undefined : validDate(year, digits(text, 5, 2), digits(text, 8, 2))
  if (date === undefined) return undefined
  let at = 19
  let fraction = 0
  if (text.charCodeAt(at) === DOT) {
    const begin = ++at
    let scale = 100
    while (at < text.length) {
      const d = text.charCodeAt(at) - ZERO
      if (d < 0 || d > 9) break
      fraction += d * scale
      scale /= 10
      at++
    }
    if (at === begin) return undefined
    fraction = Math.floor(fraction)
  }
  const naive = date + ((hour * 60 + minute) * 60 + second) * 1000 + fraction
  const rest = text.length - at
  if (rest === 1) {
    const c = text.charCodeAt(at)
    return c === Z_UPPER || c === Z_LOWER ? { naive, offset: 0 } : undefined
  }
  if (rest !== 6 || text.charCodeAt(at + 3) !== COLON) return undefined
  const signChar = text.charCodeAt(at)
  const sign = signChar === HYPHEN ? -1 : signChar === PLUS ? 1 : 0
  if (sign === 0) return undefined
  const offset = offsetMs(sign, digits(text, at + 1, 2), digits(text, at + 4, 2))
  return offset === undefined ? undefined : { naive, offset }
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/

// Everything else ISO-8601 allows that people write: date only, no seconds, no offset, `+0100`.
const parseLoose = (text: string): IsoParts | undefined => {
  const match = DATE_TIME.exec(text.trim())
  if (match === null) return undefined
  const date = validDate(Number(match[1]), Number(match[2]), Number(match[3]))
  if (date === undefined) return undefined
  const hour = Number(match[4] ?? 0)
  const minute = Number(match[5] ?? 0)
  const second = Number(match[6] ?? 0)
  if (hour > 23 || minute > 59 || second > 59) return undefined
  const fraction = match[7] === undefined ? 0 : Math.floor(Number(`0.${match[7]}`) * 1000)
  const naive = date + ((hour * 60 + minute) * 60 + second) * 1000 + fraction
  const zone = match[8]
  if (zone === undefined) return { naive, offset: undefined }
  if (zone === "Z" || zone === "z") return { naive, offset: 0 }
  const offsetDigits = zone.slice(1).replace(":", "")
  const offset = offsetMs(
    zone.startsWith("-") ? -1 : 1,
    Number(offsetDigits.slice(0, 2)),
    Number(offsetDigits.slice(2) || "0")
  )
  return offset === undefined ? undefined : { naive, offset }
}

/** Read `YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH[:MM]]`; `undefined` when it is not one. */
export const parseIso = (text: unknown): IsoParts | undefined => {
  if (typeof text !== "string") return undefined
  return parseCanonical(text) ?? parseLoose(text)
}

/** The instant of parsed parts; an offset-less value is wall-clock time in the given zone. */
export const instantOf = (parts: IsoParts, zone: ZoneOffsets): number =>
  parts.offset === undefined ? zone.firstAtOrAfter(parts.naive) : parts.naive - parts.offset

/** Naive midnight of a `YYYY-MM-DD` date, or `undefined`. */
export const parseLocalDate = (text: unknown): number | undefined => {
  if (typeof text !== "string") return undefined
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim())
  if (match === null) return undefined
  return validDate(Number(match[1]), Number(match[2]), Number(match[3]))
}
