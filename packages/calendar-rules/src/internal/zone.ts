/**
 * Time-zone arithmetic on top of `Intl.DateTimeFormat`: the only source of tz data
 * a dependency-free library has. Instants are epoch milliseconds; "naive" values are
 * wall-clock times written as if they were UTC epoch milliseconds (so plain integer
 * arithmetic works on them).
 */

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000

// Formatter construction costs tens of microseconds; a zone's formatter is immutable, so one per zone is shared.
const formatters = new Map<string, Intl.DateTimeFormat>()

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric"
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** Whether `Intl` knows the zone; offsets like "+01:00" and unknown names are refused. */
export const isValidTimeZone = (timeZone: string): boolean => {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return false
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

// `format` is about four times faster than `formatToParts`; the en-US shape "M/D/YYYY, HH:MM:SS" is fixed.
const WALL = /^(\d{1,2})\/(\d{1,2})\/(\d{1,6}), (\d{2}):(\d{2}):(\d{2})$/

/** The zone's UTC offset in milliseconds at an instant, read through `Intl`. */
export const offsetAt = (timeZone: string, epoch: number): number => {
  const seconds = Math.floor(epoch / 1000) * 1000
  const formatter = formatterFor(timeZone)
  const match = WALL.exec(formatter.format(seconds))
  if (match !== null) {
    const wall = Date.UTC(
      Number(match[3]),
      Number(match[1]) - 1,
      Number(match[2]),
      Number(match[4]),
      Number(match[5]),
      Number(match[6])
    )
    return wall - seconds
  }
  // Another ICU build may lay the string out differently; the parts are slower but unambiguous.
  const parts: Record<string, number> = {}
  for (const part of formatter.formatToParts(seconds)) parts[part.type] = Number(part.value)
  const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
  return wall - seconds
}

interface Segment {
  /** First instant with this offset. */
  readonly from: number
  /** First instant after it (exclusive). */
  readonly to: number
  readonly offset: number
}

// Sampling step when looking for transitions: one `Intl` read per day, then bisection to the
// second. Only a pair of opposite transitions less than a day apart could slip through; no
// zone's rules have one.
const SAMPLE = DAY

/**
 * The zone's offsets over a bounded span, as constant-offset segments. Built once per call
 * with a few hundred `Intl` reads, after which every lookup is a binary search.
 */
export class ZoneOffsets {
  private readonly segments: ReadonlyArray<Segment>

  constructor(
    readonly timeZone: string,
    fromEpoch: number,
    toEpoch: number
  ) {
    // Whole seconds keep the bisection below on an integer grid.
    const from = Math.floor(fromEpoch / 1000) * 1000
    const to = Math.max(from, Math.ceil(toEpoch / 1000) * 1000)
    const segments: Array<Segment> = []
    let segmentStart = from
    let current = offsetAt(timeZone, from)
    let probe = from
    while (probe < to) {
      const next = Math.min(probe + SAMPLE, to)
      let nextOffset = offsetAt(timeZone, next)
      // A sample step may hold more than one transition: peel them off one at a time.
      while (nextOffset !== current) {
        let lo = probe // offset here is `current`
        let hi = next
        while (hi - lo > 1000) {
          const mid = lo + Math.max(1000, Math.floor((hi - lo) / 2000) * 1000)
          if (offsetAt(timeZone, mid) === current) lo = mid
          else hi = mid
        }
        segments.push({ from: segmentStart, to: hi, offset: current })
        segmentStart = hi
        current = offsetAt(timeZone, hi)
        probe = hi
        nextOffset = offsetAt(timeZone, next)
      }
      probe = next
    }
    segments.push({ from: segmentStart, to: Number.POSITIVE_INFINITY, offset: current })
    // The first segment also covers anything before `from`, so lookups never fall off the ends.
    const first = segments[0]!
    segments[0] = { from: Number.NEGATIVE_INFINITY, to: first.to, offset: first.offset }
    this.segments = segments
  }

  /** Offset in milliseconds at an instant. */
  offset(epoch: number): number {
    const segments = this.segments
    let lo = 0
    let hi = segments.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (segments[mid]!.from <= epoch) lo = mid
      else hi = mid - 1
    }
    return segments[lo]!.offset
  }

  /** Wall-clock time (as naive epoch) at an instant. */
  wall(epoch: number): number {
    return epoch + this.offset(epoch)
  }

  /**
   * The first instant at which the wall clock reads `naive` or later. For an ordinary
   * wall time that is its only instant; in a fall-back overlap it is the earlier one;
   * in a spring-forward gap it is the transition itself (the clock jumps past `naive`).
   */
  firstAtOrAfter(naive: number): number {
    // Wall-clock time at the end of each segment (`to + offset`) grows with the segment index.
    const segments = this.segments
    let lo = 0
    let hi = segments.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      const segment = segments[mid]!
      if (segment.to + segment.offset > naive) hi = mid
      else lo = mid + 1
    }
    const segment = segments[lo]!
    return Math.max(segment.from, naive - segment.offset)
  }

  /** The instant at which the wall clock reads exactly `naive` (the earlier one in an overlap), or `undefined` in a gap. */
  exactly(naive: number): number | undefined {
    const epoch = this.firstAtOrAfter(naive)
    return this.wall(epoch) === naive ? epoch : undefined
  }
}

/** Naive epoch of a calendar date's midnight. */
export const naiveDate = (year: number, month: number, day: number): number => Date.UTC(year, month - 1, day)

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"))

/** `YYYY-MM-DD` of a naive epoch, by arithmetic (this runs for every slot, and `Date` objects are slow here). */
export const isoDate = (naive: number): string => {
  // Civil-from-days (proleptic Gregorian), after Howard Hinnant's algorithm.
  const z = Math.floor(naive / DAY) + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return `${String(year).padStart(4, "0")}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`
}

/** `+HH:MM` / `-HH:MM` of an offset in milliseconds (never `Z`). */
export const offsetText = (offset: number): string => {
  const minutes = Math.round(offset / MINUTE)
  const abs = Math.abs(minutes)
  return `${minutes < 0 ? "-" : "+"}${TWO_DIGITS[Math.floor(abs / 60)] ?? String(Math.floor(abs / 60))}:${TWO_DIGITS[abs % 60]}`
}

/** `HH:MM:SS` of a naive epoch. */
const isoTime = (naive: number): string => {
  const seconds = Math.floor((naive - Math.floor(naive / DAY) * DAY) / 1000)
  return `${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}`
}

/** ISO-8601 local date-time with numeric offset, e.g. `2026-03-30T10:00:00+01:00` (never `Z`). */
export const isoWithOffset = (epoch: number, offset: number): string => {
  const naive = epoch + offset
  return `${isoDate(naive)}T${isoTime(naive)}${offsetText(offset)}`
}

export const MS = { MINUTE, HOUR, DAY } as const
