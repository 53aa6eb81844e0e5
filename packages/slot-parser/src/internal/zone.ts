/** Wall-clock parts of an instant in the artist's zone. */
export interface LocalParts {
  readonly year: number
  readonly month: number
  readonly day: number
  /** Days since 1970-01-01 of the local calendar date. */
  readonly dayNumber: number
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number
  /** Minutes since local midnight. */
  readonly minutes: number
}

interface ZoneEntry {
  readonly format: Intl.DateTimeFormat
  readonly parts: Map<number, LocalParts>
}

// Building an Intl.DateTimeFormat costs far more than a whole parse, so one is kept per zone,
// and the same offered slots come back on every reply, so their local parts are memoised too.
const zones = new Map<string, ZoneEntry | null>()
const MAX_ZONES = 256
const MAX_PARTS_PER_ZONE = 4096

const zoneEntry = (timeZone: string): ZoneEntry | null => {
  const cached = zones.get(timeZone)
  if (cached !== undefined) return cached
  let entry: ZoneEntry | null
  try {
    entry = {
      format: new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric"
      }),
      parts: new Map()
    }
  } catch {
    entry = null
  }
  if (zones.size >= MAX_ZONES) zones.clear()
  zones.set(timeZone, entry)
  return entry
}

/** A function from epoch milliseconds to local parts in `timeZone`, or `null` for an unknown zone. */
export const localPartsIn = (timeZone: string): ((epochMs: number) => LocalParts) | null => {
  const entry = zoneEntry(timeZone)
  if (entry === null) return null
  return (epochMs) => {
    const hit = entry.parts.get(epochMs)
    if (hit !== undefined) return hit
    let year = 0
    let month = 0
    let day = 0
    let hour = 0
    let minute = 0
    for (const part of entry.format.formatToParts(epochMs)) {
      switch (part.type) {
        case "year":
          year = Number(part.value)
          break
        case "month":
          month = Number(part.value)
          break
        case "day":
          day = Number(part.value)
          break
        case "hour":
          hour = Number(part.value) % 24
          break
        case "minute":
          minute = Number(part.value)
          break
      }
    }
    const dayNumber = Math.floor(Date.UTC(year, month - 1, day) / 86_400_000)
    const parts: LocalParts = {
      year,
      month,
      day,
      dayNumber,
      weekday: (((dayNumber + 4) % 7) + 7) % 7,
      minutes: hour * 60 + minute
    }
    if (entry.parts.size >= MAX_PARTS_PER_ZONE) entry.parts.clear()
    entry.parts.set(epochMs, parts)
    return parts
  }
}

// An offset is required: an ISO string without one would be read in the server's zone.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

const daysIn = (year: number, month: number): number =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0)

// The same slot strings come back with every reply of a lead; Date.parse is slow on offsets.
const instants = new Map<string, number>()
const MAX_INSTANTS = 4096

const readInstant = (iso: string): number => {
  const m = ISO_INSTANT.exec(iso)
  if (m === null) return Number.NaN
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  const hour = Number(m[4])
  const minute = Number(m[5])
  const second = m[6] === undefined ? 0 : Number(m[6])
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0"))
  const offH = m[9] === undefined ? 0 : Number(m[9])
  const offM = m[10] === undefined ? 0 : Number(m[10])
  // A day that does not exist ("2026-02-30") is invalid rather than rolled into the next month.
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return Number.NaN
  if (hour > 23 || minute > 59 || second > 59 || offH > 23 || offM > 59) return Number.NaN
  const offset = (m[8] === "-" ? -1 : 1) * (offH * 60 + offM) * 60_000
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset
}

/** Epoch milliseconds of an ISO-8601 instant with an offset, or `NaN`. */
export const parseInstant = (iso: unknown): number => {
  if (typeof iso !== "string") return Number.NaN
  const hit = instants.get(iso)
  if (hit !== undefined) return hit
  const ms = iso.length <= 40 ? readInstant(iso) : Number.NaN
  if (instants.size >= MAX_INSTANTS) instants.clear()
  instants.set(iso, ms)
  return ms
}
