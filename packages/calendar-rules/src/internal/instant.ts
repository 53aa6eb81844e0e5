/**
 * Strict readers for the date strings the engine accepts. `Date.parse` is not used: it reads
 * an offset-less string in the process's own zone, which would make results depend on the host.
 */

import type { ZoneOffsets } from "./zone.js"

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/

/** A parsed ISO-8601 value: its wall-clock reading (naive epoch) and, when written, its offset. */
export interface IsoParts {
  readonly naive: number
  readonly offset: number | undefined
}

const validDate = (year: number, month: number, day: number): number | undefined => {
  const naive = Date.UTC(year, month - 1, day)
  const check = new Date(naive)
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day
    ? naive
    : undefined
}

/** Read `YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH[:MM]]`; `undefined` when it is not one. */
export const parseIso = (text: unknown): IsoParts | undefined => {
  if (typeof text !== "string") return undefined
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
  const sign = zone.startsWith("-") ? -1 : 1
  const digits = zone.slice(1).replace(":", "")
  const offsetHours = Number(digits.slice(0, 2))
  const offsetMinutes = Number(digits.slice(2) || "0")
  if (offsetHours > 23 || offsetMinutes > 59) return undefined
  return { naive, offset: sign * (offsetHours * 60 + offsetMinutes) * 60_000 }
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
