import * as Schema from "effect/Schema"

/** The parts of Calendar API responses the adapter reads; unknown fields are ignored. */
export const EventTime = Schema.Struct({
  dateTime: Schema.optional(Schema.String),
  date: Schema.optional(Schema.String),
  timeZone: Schema.optional(Schema.String)
})

export const CalendarEvent = Schema.Struct({
  id: Schema.String,
  status: Schema.optional(Schema.String),
  summary: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  start: Schema.optional(EventTime),
  end: Schema.optional(EventTime),
  extendedProperties: Schema.optional(
    Schema.Struct({ private: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })) })
  )
})
export type CalendarEvent = typeof CalendarEvent.Type

export const EventsPage = Schema.Struct({
  items: Schema.optional(Schema.Array(CalendarEvent)),
  nextPageToken: Schema.optional(Schema.String)
})

export const FreeBusyResponse = Schema.Struct({
  calendars: Schema.optional(
    Schema.Record({
      key: Schema.String,
      value: Schema.Struct({
        busy: Schema.optional(Schema.Array(Schema.Struct({ start: Schema.String, end: Schema.String }))),
        errors: Schema.optional(
          Schema.Array(Schema.Struct({ domain: Schema.optional(Schema.String), reason: Schema.optional(Schema.String) }))
        )
      })
    })
  )
})
