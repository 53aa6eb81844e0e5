/**
 * @tattoo-bot/calendar-rules: the artist's calendar rules (YAML) and a pure, DST-correct
 * engine that turns them plus busy times into bookable slots and suggestions.
 */
export { bookableSlots, isBookable } from "./BookableSlots.js"
export {
  CalendarRules,
  CalendarRulesError,
  type CalendarRulesIssue,
  ClosingTime,
  DayHours,
  decodeCalendarRules,
  decodeCalendarRulesValue,
  defaultCalendarRules,
  OpeningTime,
  SessionDurations,
  SessionMinutes,
  SizeCategory,
  SUGGESTIONS_CEILING,
  TimeZone,
  WorkingDay,
  WorkingHours
} from "./CalendarRules.js"
export { formatSlot, formatSlotLong, ROW_TITLE_MAX } from "./FormatSlot.js"
export { mergeBusy } from "./MergeBusy.js"
export { BusyInterval, Slot, type SlotQuery, type SuggestQuery } from "./Slot.js"
export { type DayPart, dayPartOf, suggestSlots } from "./SuggestSlots.js"
