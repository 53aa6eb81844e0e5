import * as GoogleCalendar from "@tattoo-bot/google-calendar"
import * as LeadSheet from "@tattoo-bot/google-sheets"
import { StripeDeposits } from "@tattoo-bot/stripe"
import { Effect, Layer, Option } from "effect"
import { AppConfig } from "../config/AppConfig.js"
import { HostSettings } from "../leads/HostSettings.js"
import { Integrations } from "./IntegrationHandlers.js"

/** Builds the Calendar, Sheets and Stripe adapters that are configured and enabled (a bad credential stops the start). */
export const IntegrationsLive = Layer.effect(
  Integrations,
  Effect.gen(function* () {
    const config = yield* AppConfig
    const settings = yield* HostSettings
    const baseUrl = Option.getOrUndefined(config.googleApiBaseUrl)
    const calendar = config.calendarEnabled
      ? Option.some(
          yield* GoogleCalendar.make({
            calendarId: Option.getOrThrow(config.calendar.calendarId),
            credentials: Option.getOrThrow(config.calendar.credentials),
            timeZone: settings.calendarRules.timezone,
            ...(baseUrl === undefined ? {} : { baseUrl })
          }).pipe(Effect.mapError((e: { message: string }) => new Error(`calendar: GOOGLE_CALENDAR_CREDENTIALS_JSON: ${e.message}`)))
        )
      : Option.none()
    const sheets = config.sheetsEnabled
      ? Option.some(
          yield* LeadSheet.make({
            spreadsheetId: Option.getOrThrow(config.sheets.spreadsheetId),
            credentials: Option.getOrThrow(config.sheets.credentials),
            ...(baseUrl === undefined ? {} : { baseUrl })
          }).pipe(Effect.mapError((e: { message: string }) => new Error(`sheets: GOOGLE_SHEETS_CREDENTIALS_JSON: ${e.message}`)))
        )
      : Option.none()
    const stripe = Option.isSome(config.stripe.secretKey)
      ? Option.some(
          yield* StripeDeposits.make({
            secretKey: config.stripe.secretKey.value,
            ...(Option.isSome(config.stripe.apiBaseUrl) ? { apiBaseUrl: config.stripe.apiBaseUrl.value } : {})
          }).pipe(Effect.mapError((e) => new Error(`stripe: STRIPE_API_BASE_URL / STRIPE_SECRET_KEY: ${String(e)}`)))
        )
      : Option.none()
    yield* Effect.logInfo("integrations").pipe(
      Effect.annotateLogs({ calendar: Option.isSome(calendar), sheets: Option.isSome(sheets), stripe: Option.isSome(stripe) })
    )
    return { calendar, sheets, stripe }
  })
)
