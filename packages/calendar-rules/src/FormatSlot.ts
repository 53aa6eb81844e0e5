import { instantOf, parseIso } from "./internal/instant.js"
import { isValidTimeZone, MS, ZoneOffsets } from "./internal/zone.js"
import type { Slot } from "./Slot.js"

/** WhatsApp list rows show at most 24 characters in the title. */
export const ROW_TITLE_MAX = 24

const DEFAULT_LOCALE = "en-GB"

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatter = (locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`
  let cached = formatters.get(key)
  if (cached === undefined) {
    try {
      cached = new Intl.DateTimeFormat(locale, { ...options, timeZone })
    } catch {
      cached = new Intl.DateTimeFormat(DEFAULT_LOCALE, { ...options, timeZone })
    }
    formatters.set(key, cached)
  }
  return cached
}

interface Resolved {
  /** Instant to format. */
  readonly epoch: number
  /** Zone to format in. */
  readonly zone: string
  /** Whether the zone is the artist's (so its abbreviation is meaningful). */
  readonly named: boolean
}

// With an unknown zone, the value's own offset still gives the right wall clock: format that in UTC.
const resolve = (text: string, timeZone: string): Resolved | undefined => {
  const parts = parseIso(text)
  if (parts === undefined) return undefined
  const known = isValidTimeZone(timeZone)
  if (parts.offset === undefined) {
    if (!known) return { epoch: parts.naive, zone: "UTC", named: false }
    return {
      epoch: instantOf(parts, new ZoneOffsets(timeZone, parts.naive - MS.DAY, parts.naive + MS.DAY)),
      zone: timeZone,
      named: true
    }
  }
  const epoch = parts.naive - parts.offset
  return known ? { epoch, zone: timeZone, named: true } : { epoch: parts.naive, zone: "UTC", named: false }
}

const SHORT: Intl.DateTimeFormatOptions = {
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23"
}
const COMPACT: Intl.DateTimeFormatOptions = {
  weekday: "short",
  day: "numeric",
  month: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23"
}
const DATE_LONG: Intl.DateTimeFormatOptions = { weekday: "long", day: "numeric", month: "long" }
const TIME: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
const ZONE_NAME: Intl.DateTimeFormatOptions = { timeZoneName: "short" }

/**
 * Short label for a list row, at most 24 characters, e.g. `Tue 31 Mar, 10:00` (en-GB, the
 * default locale). Times are shown in `timeZone`; an unreadable slot gives its raw start, cut to 24.
 */
export const formatSlot = (slot: Slot, timeZone: string, locale: string = DEFAULT_LOCALE): string => {
  const start = resolve(slot?.start, timeZone)
  if (start === undefined) return String(slot?.start ?? "").slice(0, ROW_TITLE_MAX)
  const label = formatter(locale, start.zone, SHORT).format(start.epoch)
  if (label.length <= ROW_TITLE_MAX) return label
  // Some locales spell months out even in "short"; the numeric month keeps the row readable.
  return formatter(locale, start.zone, COMPACT).format(start.epoch).slice(0, ROW_TITLE_MAX)
}

/**
 * Label for message text with day, start–end and the zone's abbreviation at that date, e.g.
 * `Tuesday 31 March, 10:00–13:00 (BST)`. Each slot carries its own abbreviation, so a list that
 * crosses a daylight-saving change reads right line by line.
 */
export const formatSlotLong = (slot: Slot, timeZone: string, locale: string = DEFAULT_LOCALE): string => {
  const start = resolve(slot?.start, timeZone)
  const end = resolve(slot?.end, timeZone)
  if (start === undefined || end === undefined) return `${String(slot?.start ?? "")}–${String(slot?.end ?? "")}`
  const startDay = formatter(locale, start.zone, DATE_LONG).format(start.epoch)
  const endDay = formatter(locale, end.zone, DATE_LONG).format(end.epoch)
  const from = formatter(locale, start.zone, TIME).format(start.epoch)
  const to = formatter(locale, end.zone, TIME).format(end.epoch)
  const zoneName = start.named
    ? (formatter(locale, start.zone, ZONE_NAME)
        .formatToParts(start.epoch)
        .find((part) => part.type === "timeZoneName")?.value ?? start.zone)
    : (/([+-]\d{2}:?\d{2}|Z)$/i.exec(String(slot.start).trim())?.[1] ?? "UTC")
  const span = startDay === endDay ? `${startDay}, ${from}–${to}` : `${startDay}, ${from} – ${endDay}, ${to}`
  return `${span} (${zoneName})`
}
