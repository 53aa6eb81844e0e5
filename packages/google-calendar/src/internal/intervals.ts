/** Epoch-millisecond half-open interval [start, end). */
export type Span = readonly [start: number, end: number]

/** The freeBusy request window is split into chunks of at most this many days (see README). */
export const FREEBUSY_CHUNK_DAYS = 60

const DAY_MS = 86_400_000

/** Splits [min, max) into consecutive chunks no longer than `maxDays`; empty when max ≤ min. */
export const splitRange = (min: number, max: number, maxDays: number = FREEBUSY_CHUNK_DAYS): Array<Span> => {
  const step = maxDays * DAY_MS
  const chunks: Array<Span> = []
  for (let start = min; start < max; start += step) chunks.push([start, Math.min(start + step, max)])
  return chunks
}

/** Sorts and merges overlapping or touching spans (a busy block cut at a chunk boundary becomes one again). */
export const mergeSpans = (spans: ReadonlyArray<Span>): Array<Span> => {
  const sorted = spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const merged: Array<[number, number]> = []
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1]
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e)
    else merged.push([s, e])
  }
  return merged
}

/** `YYYY-MM-DD` for a UTC epoch day number. */
const isoDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)
const dayNumber = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS)

/** Every date in [startDate, endDate) (all-day events end on the day after their last day). */
export const datesOf = (startDate: string, endDateExclusive: string): Array<string> => {
  const from = dayNumber(startDate)
  const to = Math.max(dayNumber(endDateExclusive), from + 1)
  const dates: Array<string> = []
  for (let d = from; d < to; d++) dates.push(isoDate(d))
  return dates
}
