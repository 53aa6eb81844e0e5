import { mergeIntervals } from "./internal/engine.js"
import { instantOf, parseIso } from "./internal/instant.js"
import { isValidTimeZone, MS, ZoneOffsets } from "./internal/zone.js"
import type { BusyInterval } from "./Slot.js"

/**
 * Sort and merge busy intervals (overlapping or touching ones become one), as UTC ISO strings.
 * Offset-less values are read in `timeZone` (default UTC). Entries that cannot be read, or end
 * before they start, are left out here; `bookableSlots` instead offers nothing when it meets one.
 */
export const mergeBusy = (busy: ReadonlyArray<BusyInterval>, timeZone = "UTC"): ReadonlyArray<BusyInterval> => {
  const zoneName = isValidTimeZone(timeZone) ? timeZone : "UTC"
  const instant = (text: unknown): number | undefined => {
    const parts = parseIso(text)
    if (parts === undefined) return undefined
    // Offsets are only looked up for the rare offset-less entry, and only around it.
    return parts.offset === undefined
      ? instantOf(parts, new ZoneOffsets(zoneName, parts.naive - MS.DAY, parts.naive + MS.DAY))
      : parts.naive - parts.offset
  }
  const readable: Array<BusyInterval> = []
  for (const entry of Array.isArray(busy) ? busy : []) {
    const start = instant(entry?.start)
    const end = instant(entry?.end)
    if (start !== undefined && end !== undefined && end >= start) {
      readable.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString() })
    }
  }
  const merged = mergeIntervals(readable, new ZoneOffsets("UTC", 0, 0), 0)
  if (merged === undefined) return []
  return merged.starts.map((start, i) => ({
    start: new Date(start).toISOString(),
    end: new Date(merged.ends[i]!).toISOString()
  }))
}
