import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { afterAll, bench, describe } from "vitest"
import { startFakeGoogle } from "../../../test/fakes/google-api.js"
import { LeadSheet, layer, SHEET_COLUMNS, toSheetRow } from "../src/index.js"

const fake = await startFakeGoogle()
// A sheet that already mirrors 1 000 leads.
fake.sheets.rows.set("Leads", [
  [...SHEET_COLUMNS],
  ...Array.from({ length: 1000 }, (_, i) => toSheetRow({ lead_id: i + 1, status: "NEW" }))
])
const runtime = ManagedRuntime.make(
  layer({ spreadsheetId: "bench", credentials: fake.serviceAccount.json, baseUrl: fake.baseUrl })
)
afterAll(async () => {
  await runtime.dispose()
  await fake.close()
})

const row = { lead_id: 500, status: "PENDING_APPROVAL", created_at: new Date(), budget_amount: 50_000 }

describe("LeadSheet", () => {
  bench("toSheetRow (pure)", () => {
    toSheetRow(row)
  })

  bench("upsertLead updating row 501 of 1 000 through the local fake (2 requests)", async () => {
    await runtime.runPromise(Effect.flatMap(LeadSheet, (s) => s.upsertLead(row)))
  })
})
