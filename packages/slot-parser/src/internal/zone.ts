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
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:[Zz]|[+-]\d{2}:\d{2})$/

/** Epoch milliseconds of an ISO-8601 instant with an offset, or `NaN`. */
export const parseInstant = (iso: unknown): number => {
  if (typeof iso !== "string" || !ISO_INSTANT.test(iso)) return Number.NaN
  // Date.parse rolls "2026-02-30" over into March; a slot on a day that does not exist is invalid.
  const year = Number(iso.slice(0, 4))
  const month = Number(iso.slice(5, 7))
  const day = Number(iso.slice(8, 10))
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    return Number.NaN
  }
  return Date.parse(iso)
}
