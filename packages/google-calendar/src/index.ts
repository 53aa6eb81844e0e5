export {
  type BusyInterval,
  CALENDAR_SCOPE,
  GoogleCalendar,
  GoogleCalendarAuthFailed,
  type GoogleCalendarError,
  type GoogleCalendarOptions,
  GoogleCalendarRequestRejected,
  type GoogleCalendarService,
  GoogleCalendarUnavailable,
  type HoldEventInput,
  type Instant,
  LEAD_ID_PROPERTY,
  type LeadEvent,
  layer,
  layerConfig,
  make
} from "./GoogleCalendar.js"
export { FREEBUSY_CHUNK_DAYS } from "./internal/intervals.js"
export { GoogleCredentialsInvalid, type GoogleRetryOptions } from "@tattoo-bot/google-auth"
