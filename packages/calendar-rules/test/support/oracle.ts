/**
 * An independent, slow reading of time zones for the property tests: wall clocks come from
 * `Intl.DateTimeFormat#formatToParts`, offsets are sampled hour by hour, gaps are bisected.
 * It shares no code with the engine.
 */

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

const formatters = new Map<string, Intl.DateTimeFormat>()

/** Wall-clock reading of an instant in a zone, as a naive epoch (the wall time written as UTC). */
export const wall = (zone: string, epoch: number): number => {
  let formatter = formatters.get(zone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23"
    })
    formatters.set(zone, formatter)
  }
  const parts: Record<string, number> = {}
  for (const part of formatter.formatToParts(epoch)) parts[part.type] = Number(part.value)
  return (
    Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) +
    (epoch - Math.floor(epoch / 1000) * 1000)
  )
}

export const offset = (zone: string, epoch: number): number => wall(zone, epoch) - epoch

/** Every offset the zone uses at instants that could show a wall time on the local date `date` (naive midnight). */
export const offsetsOnDate = (zone: string, date: number): ReadonlyArray<number> => {
  const seen = new Set<number>()
  // Offsets range from -12 h to +14 h, so the date's wall times fall within these instants.
  for (let t = date - 15 * HOUR; t <= date + 37 * HOUR; t += HOUR / 2) seen.add(offset(zone, t))
  return [...seen]
}

/** The earliest instant whose wall clock reads exactly `naive`, or undefined when the clock skips it. */
export const exactInstant = (zone: string, naive: number, offsets: ReadonlyArray<number>): number | undefined => {
  const valid = offsets.map((o) => naive - o).filter((t) => wall(zone, t) === naive)
  return valid.length === 0 ? undefined : Math.min(...valid)
}

/** The first instant whose wall clock reads `naive` or later (the transition itself inside a gap). */
export const firstAtLeast = (zone: string, naive: number, offsets: ReadonlyArray<number>): number => {
  const exact = exactInstant(zone, naive, offsets)
  if (exact !== undefined) return exact
  let lo = naive - Math.max(...offsets)
  let hi = naive - Math.min(...offsets)
  // Inside a gap the wall clock only moves forward, so the predicate is monotone here.
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2)
    if (wall(zone, mid) >= naive) hi = mid
    else lo = mid
  }
  return hi
}

/** Approximate instants (to the day) at which the zone's offset changes between two years. */
export const transitions = (zone: string, fromYear: number, toYear: number): ReadonlyArray<number> => {
  const out: Array<number> = []
  let previous = offset(zone, Date.UTC(fromYear, 0, 1))
  for (let t = Date.UTC(fromYear, 0, 1) + DAY; t < Date.UTC(toYear + 1, 0, 1); t += DAY) {
    const current = offset(zone, t)
    if (current !== previous) out.push(t - DAY / 2)
    previous = current
  }
  return out
}

/** ISO text of an instant written with an arbitrary fixed offset (minutes). */
export const isoAt = (epoch: number, offsetMinutes: number): string => {
  if (offsetMinutes === 0) return new Date(epoch).toISOString().replace(".000Z", "Z")
  const local = new Date(epoch + offsetMinutes * MINUTE).toISOString().slice(0, 19)
  const abs = Math.abs(offsetMinutes)
  const sign = offsetMinutes < 0 ? "-" : "+"
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`
}

/** Offset in ms written at the end of an ISO string (`Z` or ±HH:MM). */
export const writtenOffset = (iso: string): number => {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(iso)
  if (match === null) return 0
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * MINUTE
}
