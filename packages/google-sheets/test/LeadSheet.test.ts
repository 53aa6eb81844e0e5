import { afterEach, assert, beforeEach, describe, it } from "@effect/vitest"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import { type FakeGoogle, startFakeGoogle } from "../../../test/fakes/google-api.js"
import { type LeadRow, LeadSheet, type LeadSheetOptions, layer, SHEET_COLUMNS } from "../src/index.js"

const SPREADSHEET_ID = "1AbCdEfGhIjKlMnOp"
const VALUES = `/v4/spreadsheets/${SPREADSHEET_ID}/values/`
let fake: FakeGoogle

beforeEach(async () => {
  fake = await startFakeGoogle({ spreadsheetId: SPREADSHEET_ID })
})
afterEach(async () => {
  await fake.close()
})

const options = (overrides: Partial<LeadSheetOptions> = {}): LeadSheetOptions => ({
  spreadsheetId: SPREADSHEET_ID,
  credentials: fake.serviceAccount.json,
  baseUrl: fake.baseUrl,
  retry: { times: 3, baseDelay: "1 millis", maxDelay: "5 millis" },
  ...overrides
})

/** Runs `f` against one LeadSheet instance pointed at the fake. */
const withSheet = <A, E>(f: (sheet: LeadSheet["Type"]) => Effect.Effect<A, E>, overrides: Partial<LeadSheetOptions> = {}) =>
  Effect.flatMap(LeadSheet, f).pipe(Effect.provide(layer(options(overrides))))

const upsert = (row: LeadRow, overrides: Partial<LeadSheetOptions> = {}) => withSheet((s) => s.upsertLead(row), overrides)

/** The failure of an upsert that must fail in the adapter, not while building the layer. */
const upsertFailure = (row: LeadRow, overrides: Partial<LeadSheetOptions> = {}) =>
  Effect.flip(upsert(row, overrides)).pipe(
    Effect.flatMap((error) =>
      error._tag === "GoogleCredentialsInvalid" ? Effect.dieMessage("the layer failed to build") : Effect.succeed(error)
    )
  )

const column = (name: (typeof SHEET_COLUMNS)[number]) => SHEET_COLUMNS.indexOf(name)
const rowsOf = (sheetName = "Leads") => fake.sheets.rows.get(sheetName) ?? []

describe("upsertLead", () => {
  it.live("on an empty sheet: writes the header once, appends the row, then updates that same row", () =>
    Effect.gen(function* () {
      const first = yield* withSheet((s) =>
        Effect.all([
          s.upsertLead({ lead_id: 42, whatsapp_number: "447700900123", status: "QUALIFYING" }),
          s.upsertLead({ lead_id: 42, whatsapp_number: "447700900123", status: "PENDING_APPROVAL" })
        ])
      )
      assert.deepStrictEqual(first, [
        { action: "appended", rowNumber: 2 },
        { action: "updated", rowNumber: 2 }
      ])
      const rows = rowsOf()
      assert.strictEqual(rows.length, 2)
      assert.deepStrictEqual(rows[0], [...SHEET_COLUMNS])
      assert.strictEqual(rows[1]![0], 42)
      assert.strictEqual(rows[1]![column("status")], "PENDING_APPROVAL")
      // One token, issued for the Sheets scope, from a verified assertion.
      assert.strictEqual(fake.tokenRequests.length, 1)
      assert.isTrue(fake.tokenRequests[0]!.verified)
      assert.strictEqual(fake.tokenRequests[0]!.claims?.scope, "https://www.googleapis.com/auth/spreadsheets")
      assert.deepStrictEqual(
        fake.requestsTo(VALUES).map((r) => `${r.method} ${r.path.slice(VALUES.length)}?${r.query}`),
        [
          "GET %27Leads%27%211%3A1?valueRenderOption=UNFORMATTED_VALUE",
          "PUT %27Leads%27%21A1%3AAX1?valueInputOption=RAW",
          "GET %27Leads%27%21A2%3AA?valueRenderOption=UNFORMATTED_VALUE",
          "POST %27Leads%27%21A%3AAX:append?valueInputOption=RAW&insertDataOption=INSERT_ROWS",
          "GET %27Leads%27%21A2%3AA?valueRenderOption=UNFORMATTED_VALUE",
          "PUT %27Leads%27%21A2%3AAX2?valueInputOption=RAW"
        ]
      )
    }))

  it.live("a second lead gets its own row and updating the first leaves it alone", () =>
    Effect.gen(function* () {
      yield* withSheet((s) =>
        Effect.all([
          s.upsertLead({ lead_id: "1", status: "NEW" }),
          s.upsertLead({ lead_id: "2", status: "NEW" }),
          s.upsertLead({ lead_id: "1", status: "QUALIFYING" })
        ])
      )
      const rows = rowsOf()
      assert.deepStrictEqual(
        rows.slice(1).map((r) => [r[0], r[column("status")]]),
        [
          ["1", "QUALIFYING"],
          ["2", "NEW"]
        ]
      )
    }))

  it.live("a fresh service instance finds rows written by an earlier one and does not rewrite a correct header", () =>
    Effect.gen(function* () {
      yield* upsert({ lead_id: 7, status: "NEW" })
      yield* upsert({ lead_id: 7, status: "APPROVED" })
      assert.strictEqual(rowsOf().length, 2)
      assert.strictEqual(fake.requestsTo(`${VALUES}'Leads'!A1:`, "PUT").length, 1)
    }))

  it.live("an outdated header (the prior system's) is replaced and its rows are still matched", () =>
    Effect.gen(function* () {
      fake.sheets.rows.set("Leads", [
        ["lead_id", "whatsapp_number", "client_name"],
        [7, "447700900000", ""],
        [8, "447700900001", ""]
      ])
      const result = yield* upsert({ lead_id: 8, status: "BOOKED" })
      assert.deepStrictEqual(result, { action: "updated", rowNumber: 3 })
      assert.deepStrictEqual(rowsOf()[0], [...SHEET_COLUMNS])
      assert.strictEqual(rowsOf()[2]![column("status")], "BOOKED")
      assert.strictEqual(rowsOf()[1]![1], "447700900000")
    }))

  it.live("columns the artist added to the right of ours survive header checks and row updates", () =>
    Effect.gen(function* () {
      fake.sheets.rows.set("Leads", [
        [...SHEET_COLUMNS, "my notes"],
        [5, ...Array(SHEET_COLUMNS.length - 1).fill(""), "call back Tuesday"]
      ])
      yield* upsert({ lead_id: 5, status: "BOOKED" })
      assert.strictEqual(fake.requestsTo(`${VALUES}'Leads'!A1:`, "PUT").length, 0)
      assert.strictEqual(rowsOf()[0]![SHEET_COLUMNS.length], "my notes")
      assert.strictEqual(rowsOf()[1]![SHEET_COLUMNS.length], "call back Tuesday")
      assert.strictEqual(rowsOf()[1]![column("status")], "BOOKED")
    }))

  it.live("cells: numbers and booleans stay typed, null is empty, timestamps are ISO UTC, formulas stay text", () =>
    Effect.gen(function* () {
      yield* upsert({
        lead_id: 9,
        idea_summary: "=HYPERLINK(\"http://evil\")",
        coverup_flag: true,
        waitlisted: false,
        budget_amount: 50000,
        instagram_handle: null,
        created_at: new Date("2026-11-23T21:22:00Z"),
        approved_at: DateTime.unsafeMakeZoned("2026-11-24T10:00:00Z", { timeZone: "Europe/London" })
      })
      const row = rowsOf()[1]!
      assert.strictEqual(row[column("idea_summary")], "=HYPERLINK(\"http://evil\")")
      assert.strictEqual(row[column("coverup_flag")], true)
      assert.strictEqual(row[column("waitlisted")], false)
      assert.strictEqual(row[column("budget_amount")], 50000)
      assert.strictEqual(row[column("instagram_handle")], "")
      assert.strictEqual(row[column("created_at")], "2026-11-23T21:22:00.000Z")
      assert.strictEqual(row[column("approved_at")], "2026-11-24T10:00:00.000Z")
      const append = fake.requestsTo(VALUES, "POST")[0]!
      assert.strictEqual(append.query.get("valueInputOption"), "RAW")
      assert.strictEqual((append.body as { values: Array<Array<unknown>> }).values[0]!.length, SHEET_COLUMNS.length)
    }))

  it.live("a tab name with spaces and a quote is quoted in every range", () =>
    Effect.gen(function* () {
      yield* upsert({ lead_id: 1 }, { sheetName: "Jo's Leads 2026" })
      assert.strictEqual(rowsOf("Jo's Leads 2026").length, 2)
      assert.isTrue(fake.requestsTo(VALUES).every((r) => r.decodedPath.includes("/values/'Jo''s Leads 2026'!")))
    }))

  it.live("concurrent upserts of one new lead from one instance produce one row", () =>
    Effect.gen(function* () {
      const results = yield* withSheet((s) =>
        Effect.all([s.upsertLead({ lead_id: 3 }), s.upsertLead({ lead_id: 3 }), s.upsertLead({ lead_id: 3 })], {
          concurrency: "unbounded"
        })
      )
      assert.strictEqual(rowsOf().length, 2)
      assert.deepStrictEqual(
        results.map((r) => r.action).sort(),
        ["appended", "updated", "updated"]
      )
    }))

  it.live("an invalid row is rejected before any request", () =>
    Effect.gen(function* () {
      const error = yield* upsertFailure({ lead_id: "  " })
      assert.strictEqual(error._tag, "GoogleSheetsRequestRejected")
      assert.strictEqual(error.reason, "invalidRow")
      assert.strictEqual(fake.requests.length, 0)
    }))
})

describe("retries and errors", () => {
  it.live("500 and 429 on GET are retried", () =>
    Effect.gen(function* () {
      fake.failNext(`${VALUES}'Leads'!A2:A`, 500, 1)
      fake.failNext(`${VALUES}'Leads'!A2:A`, 429, 1)
      const result = yield* upsert({ lead_id: 1 })
      assert.strictEqual(result.action, "appended")
      assert.deepStrictEqual(
        fake.requestsTo(`${VALUES}'Leads'!A2:A`, "GET").map((r) => r.status),
        [500, 429, 200]
      )
    }))

  it.live("a failed POST append is retried by re-reading the ids first, and adds exactly one row", () =>
    Effect.gen(function* () {
      fake.failNext(`${VALUES}'Leads'!A:AX:append`, 503, 1)
      fake.failNext(`${VALUES}'Leads'!A:AX:append`, 429, 1)
      yield* upsert({ lead_id: 1 })
      assert.deepStrictEqual(
        fake.requestsTo(VALUES, "POST").map((r) => r.status),
        [503, 429, 200]
      )
      assert.strictEqual(fake.requestsTo(`${VALUES}'Leads'!A2:A`, "GET").length, 3)
      assert.strictEqual(rowsOf().length, 2)
    }))

  it.live("after the configured retries it fails with GoogleSheetsUnavailable", () =>
    Effect.gen(function* () {
      fake.failNext(VALUES, 500, 20)
      const error = yield* upsertFailure({ lead_id: 1 }, { retry: { times: 2, baseDelay: "1 millis" } })
      assert.strictEqual(error._tag, "GoogleSheetsUnavailable")
      assert.strictEqual(error.status, 500)
      assert.strictEqual(fake.requestsTo(VALUES).length, 3)
    }))

  it.live("an upsert interrupted while its token is refreshed before a write sends nothing more and throws nothing", () =>
    Effect.gen(function* () {
      const escaped: Array<unknown> = []
      const record = (error: unknown) => escaped.push(error)
      process.on("uncaughtException", record)
      process.on("unhandledRejection", record)
      // Tokens that live 1 s are refreshed before every request; each response takes 300 ms.
      const short = yield* Effect.promise(() => startFakeGoogle({ spreadsheetId: SPREADSHEET_ID, tokenLifetimeSeconds: 1 }))
      try {
        short.delay(300)
        const fiber = yield* Effect.fork(
          Effect.flatMap(LeadSheet, (s) => s.upsertLead({ lead_id: 5 })).pipe(
            Effect.provide(layer(options({ credentials: short.serviceAccount.json, baseUrl: short.baseUrl })))
          )
        )
        // Token, header read, then the token for the header write (a PUT with a body): interrupt now.
        while (short.requestsTo("/token").length < 2) yield* Effect.sleep("5 millis")
        yield* Fiber.interrupt(fiber)
        yield* Effect.sleep("1000 millis")
        assert.deepStrictEqual(short.requests.map((r) => r.method), ["POST", "GET", "POST"])
        assert.deepStrictEqual(escaped.map(String), [])
      } finally {
        process.off("uncaughtException", record)
        process.off("unhandledRejection", record)
        yield* Effect.promise(() => short.close())
      }
    }))

  it.live("403 is not retried and names the account to share the sheet with", () =>
    Effect.gen(function* () {
      fake.failNext(VALUES, 403, 5)
      const error = yield* upsertFailure({ lead_id: 1 })
      assert.strictEqual(error._tag, "GoogleSheetsAuthFailed")
      assert.include(error.message, fake.serviceAccount.clientEmail)
      assert.strictEqual(fake.requestsTo(VALUES).length, 1)
    }))

  it.live("an unknown spreadsheet is GoogleSheetsRequestRejected", () =>
    Effect.gen(function* () {
      const error = yield* upsertFailure({ lead_id: 1 }, { spreadsheetId: "wrong-id" })
      assert.strictEqual(error._tag, "GoogleSheetsRequestRejected")
      assert.strictEqual(error.status, 404)
      assert.strictEqual(fake.requests.filter((r) => r.path.startsWith("/v4/")).length, 1)
    }))

  it.live("a refused token exchange is GoogleSheetsAuthFailed", () =>
    Effect.gen(function* () {
      fake.failNext("/token", 400, 1)
      const error = yield* upsertFailure({ lead_id: 1 })
      assert.strictEqual(error._tag, "GoogleSheetsAuthFailed")
      assert.strictEqual(error.reason, "invalid_grant")
    }))

  it.live("bad credentials fail the layer with GoogleCredentialsInvalid", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(upsert({ lead_id: 1 }, { credentials: "/nonexistent/key.json" }))
      assert.strictEqual(error._tag, "GoogleCredentialsInvalid")
      assert.include(error.message, "/nonexistent/key.json")
    }))

  it.live("layerConfig reads its options from Config", () =>
    Effect.gen(function* () {
      const provider = ConfigProvider.fromMap(
        new Map([
          ["SHEET_ID", SPREADSHEET_ID],
          ["SHEET_CREDENTIALS", fake.serviceAccount.json],
          ["API_BASE", fake.baseUrl]
        ])
      )
      const live = LeadSheet.layerConfig({
        spreadsheetId: Config.string("SHEET_ID"),
        credentials: Config.redacted("SHEET_CREDENTIALS"),
        baseUrl: Config.string("API_BASE")
      }).pipe(Layer.provide(Layer.setConfigProvider(provider)))
      const result = yield* Effect.flatMap(LeadSheet, (s) => s.upsertLead({ lead_id: 11 })).pipe(Effect.provide(live))
      assert.strictEqual(result.action, "appended")
    }))
})
