import { sheets } from "@googleapis/sheets"
import {
  classifyGoogleError,
  type GoogleCredentialsInvalid,
  type GoogleRetryOptions,
  loadServiceAccount,
  makeJwtClient,
  retryDelayMillis,
  retryPolicy
} from "@tattoo-bot/google-auth"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { columnName, firstRowOf, quoteSheet } from "./internal/a1.js"
import { LeadRow, SHEET_COLUMNS, toSheetRow } from "./LeadRow.js"

/** The OAuth scope the adapter asks for. */
export const SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets"

// ---- errors -------------------------------------------------------------------------------------

interface GoogleSheetsErrorFields {
  readonly operation: string
  readonly status: number | undefined
  /** Google's reason, the OAuth error, or the network error code. */
  readonly reason: string | undefined
  readonly message: string
}

/** Google Sheets did not answer usefully (429, 5xx, network), after the configured retries. */
export class GoogleSheetsUnavailable extends Data.TaggedError("GoogleSheetsUnavailable")<GoogleSheetsErrorFields> {}

/** The token exchange failed or the service account may not edit the spreadsheet (401/403). */
export class GoogleSheetsAuthFailed extends Data.TaggedError("GoogleSheetsAuthFailed")<GoogleSheetsErrorFields> {}

/** Google refused the request (unknown spreadsheet or tab, bad range), or the row was invalid. */
export class GoogleSheetsRequestRejected extends Data.TaggedError("GoogleSheetsRequestRejected")<GoogleSheetsErrorFields> {}

/** Any failure of `LeadSheet.upsertLead`. */
export type GoogleSheetsError = GoogleSheetsUnavailable | GoogleSheetsAuthFailed | GoogleSheetsRequestRejected

// ---- service ------------------------------------------------------------------------------------

/** What an upsert did: updated the lead's existing row, or appended a new one. */
export interface UpsertResult {
  readonly action: "updated" | "appended"
  /** The 1-based sheet row written, when Google reported it. */
  readonly rowNumber: number | undefined
}

export interface LeadSheetService {
  /** Writes the lead's row: updates the row whose column A holds its id, else appends one. */
  readonly upsertLead: (row: LeadRow) => Effect.Effect<UpsertResult, GoogleSheetsError>
}

export interface LeadSheetOptions {
  /** From the sheet URL: `https://docs.google.com/spreadsheets/d/<id>/edit`. */
  readonly spreadsheetId: string
  /** A service-account key file path, or the key JSON itself. */
  readonly credentials: string | Redacted.Redacted<string>
  /** The tab to write (default `Leads`). */
  readonly sheetName?: string | undefined
  /** Send API and token requests to this origin instead of Google's (tests, demos). */
  readonly baseUrl?: string | undefined
  readonly retry?: GoogleRetryOptions | undefined
}

/** The Google Sheets lead mirror. `LeadSheet.layer` / `.layerConfig` are the module's `layer` / `layerConfig`. */
export class LeadSheet extends Context.Tag("@tattoo-bot/google-sheets/LeadSheet")<LeadSheet, LeadSheetService>() {
  /** See `layer`. */
  static readonly layer = (options: LeadSheetOptions): Layer.Layer<LeadSheet, GoogleCredentialsInvalid> =>
    layer(options)
  /** See `layerConfig`. */
  static readonly layerConfig = (
    options: Config.Config.Wrap<LeadSheetOptions>
  ): Layer.Layer<LeadSheet, GoogleCredentialsInvalid | ConfigError.ConfigError> => layerConfig(options)
}

const ValueRange = Schema.Struct({
  values: Schema.optional(Schema.Array(Schema.Array(Schema.Unknown)))
})

const AppendResponse = Schema.Struct({
  updates: Schema.optional(Schema.Struct({ updatedRange: Schema.optional(Schema.String) }))
})

const UpdateResponse = Schema.Struct({ updatedRange: Schema.optional(Schema.String) })

const LAST_COLUMN = columnName(SHEET_COLUMNS.length - 1)

/** Builds the service: loads the credentials and prepares the API client (no request is made yet). */
export const make = (options: LeadSheetOptions): Effect.Effect<LeadSheetService, GoogleCredentialsInvalid> =>
  Effect.gen(function* () {
    const credentials = yield* loadServiceAccount(options.credentials)
    const auth = makeJwtClient({ credentials, scopes: [SHEETS_SCOPE], baseUrl: options.baseUrl })
    const policy = retryPolicy(options.retry)
    // Retries happen around the whole upsert (below), not per request: a blindly repeated append
    // could add a second row, whereas a repeated upsert reads column A again and finds the first.
    const api = sheets({
      version: "v4",
      auth,
      retry: false,
      ...(options.baseUrl === undefined ? {} : { rootUrl: options.baseUrl })
    })
    const spreadsheetId = options.spreadsheetId
    const sheet = quoteSheet(options.sheetName ?? "Leads")
    // Row 1 is checked once per service instance; later upserts trust it.
    let headerVerified = false
    // Upserts from one process are serialised, so two writes for one new lead cannot both append.
    const lock = yield* Effect.makeSemaphore(1)

    const toError = (operation: string, error: unknown): GoogleSheetsError => {
      const failure = classifyGoogleError(error)
      const fields = { operation, status: failure.status, reason: failure.reason }
      switch (failure.kind) {
        case "unavailable":
          return new GoogleSheetsUnavailable({
            ...fields,
            message: `Google Sheets ${operation} failed (retried up to ${policy.times} times): ${failure.detail}`
          })
        case "auth":
          return new GoogleSheetsAuthFailed({
            ...fields,
            message: failure.tokenEndpoint
              ? `Google Sheets ${operation}: the service account ${credentials.client_email} could not get a token: ${failure.detail}`
              : `Google Sheets ${operation}: access denied; share spreadsheet ${spreadsheetId} with ${credentials.client_email} as Editor: ${failure.detail}`
          })
        case "rejected":
          return new GoogleSheetsRequestRejected({
            ...fields,
            message: `Google Sheets ${operation} on spreadsheet ${spreadsheetId}, tab ${sheet}, was rejected: ${failure.detail}`
          })
      }
    }

    const call = <A, I>(
      operation: string,
      schema: Schema.Schema<A, I>,
      run: (signal: AbortSignal) => Promise<{ readonly data: unknown }>
    ) =>
      Effect.tryPromise({
        try: (signal) => run(signal).then((res) => res.data),
        catch: (error) => toError(operation, error)
      }).pipe(
        Effect.flatMap((data) =>
          Schema.decodeUnknown(schema)(data).pipe(
            Effect.mapError(
              (error) =>
                new GoogleSheetsRequestRejected({
                  operation,
                  status: undefined,
                  reason: "unexpectedResponse",
                  message: `Google Sheets ${operation} returned an unexpected response: ${error.message}`
                })
            )
          )
        )
      )

    const ensureHeader = Effect.gen(function* () {
      if (headerVerified) return
      const current = yield* call("readHeader", ValueRange, (signal) =>
        api.spreadsheets.values.get(
          { spreadsheetId, range: `${sheet}!1:1`, valueRenderOption: "UNFORMATTED_VALUE" },
          { signal }
        )
      )
      const cells = current.values?.[0] ?? []
      // Columns to the right of ours are the artist's own and are left alone.
      const matches = SHEET_COLUMNS.every((name, i) => String(cells[i] ?? "").trim() === name)
      if (!matches) {
        yield* call("writeHeader", UpdateResponse, (signal) =>
          api.spreadsheets.values.update(
            {
              spreadsheetId,
              range: `${sheet}!A1:${LAST_COLUMN}1`,
              valueInputOption: "RAW",
              requestBody: { values: [[...SHEET_COLUMNS]] }
            },
            { signal }
          )
        )
      }
      headerVerified = true
    })

    const findRow = (leadId: string) =>
      Effect.map(
        call("findLead", ValueRange, (signal) =>
          api.spreadsheets.values.get(
            { spreadsheetId, range: `${sheet}!A2:A`, valueRenderOption: "UNFORMATTED_VALUE" },
            { signal }
          )
        ),
        (ids) => {
          const index = (ids.values ?? []).findIndex((cells) => String(cells[0] ?? "").trim() === leadId)
          return index === -1 ? undefined : index + 2
        }
      )

    const attempt = (row: LeadRow, cells: Array<string | number | boolean>) =>
      Effect.gen(function* () {
        yield* ensureHeader
        const rowNumber = yield* findRow(String(row.lead_id).trim())
        if (rowNumber !== undefined) {
          yield* call("updateRow", UpdateResponse, (signal) =>
            api.spreadsheets.values.update(
              {
                spreadsheetId,
                range: `${sheet}!A${rowNumber}:${LAST_COLUMN}${rowNumber}`,
                valueInputOption: "RAW",
                requestBody: { values: [cells] }
              },
              { signal }
            )
          )
          return { action: "updated", rowNumber } as const
        }
        const appended = yield* call("appendRow", AppendResponse, (signal) =>
          api.spreadsheets.values.append(
            {
              spreadsheetId,
              range: `${sheet}!A:${LAST_COLUMN}`,
              valueInputOption: "RAW",
              insertDataOption: "INSERT_ROWS",
              requestBody: { values: [cells] }
            },
            { signal }
          )
        )
        return { action: "appended", rowNumber: firstRowOf(appended.updates?.updatedRange) } as const
      })

    const retrySchedule = Schedule.recurs(policy.times).pipe(
      Schedule.addDelay((n) => Duration.millis(retryDelayMillis(policy, n + 1)))
    )

    const upsertLead: LeadSheetService["upsertLead"] = Effect.fn("LeadSheet.upsertLead")(function* (input) {
      const row = yield* Schema.validate(LeadRow)(input).pipe(
        Effect.mapError(
          (error) =>
            new GoogleSheetsRequestRejected({
              operation: "upsertLead",
              status: undefined,
              reason: "invalidRow",
              message: `Lead row is invalid: ${error.message}`
            })
        )
      )
      const cells = toSheetRow(row)
      return yield* lock.withPermits(1)(attempt(row, cells)).pipe(
        Effect.retry({ schedule: retrySchedule, while: (error) => error._tag === "GoogleSheetsUnavailable" })
      )
    })

    return LeadSheet.of({ upsertLead })
  })

/** The adapter as a layer. */
export const layer = (options: LeadSheetOptions): Layer.Layer<LeadSheet, GoogleCredentialsInvalid> =>
  Layer.effect(LeadSheet, make(options))

/** The adapter as a layer whose options come from `Config` values chosen by the host. */
export const layerConfig = (
  options: Config.Config.Wrap<LeadSheetOptions>
): Layer.Layer<LeadSheet, GoogleCredentialsInvalid | ConfigError.ConfigError> =>
  Layer.effect(LeadSheet, Effect.flatMap(Config.unwrap(options), make))
