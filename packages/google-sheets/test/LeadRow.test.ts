import { assert, describe, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as DateTime from "effect/DateTime"
import * as fc from "effect/FastCheck"
import { LeadRow, SHEET_COLUMNS, toSheetRow } from "../src/index.js"

describe("SHEET_COLUMNS", () => {
  it("keeps the lead id in column A, the prior system's 46 columns in order, then our additions", () => {
    assert.strictEqual(SHEET_COLUMNS[0], "lead_id")
    assert.strictEqual(SHEET_COLUMNS.length, 50)
    assert.strictEqual(new Set(SHEET_COLUMNS).size, SHEET_COLUMNS.length)
    assert.strictEqual(SHEET_COLUMNS[19], "budget_amount")
    assert.strictEqual(SHEET_COLUMNS[32], "status")
    assert.strictEqual(SHEET_COLUMNS[45], "last_error")
    assert.deepStrictEqual(SHEET_COLUMNS.slice(46), ["estimated_days", "deposit_sent_at", "booking_pending_at", "booked_at"])
    assert.deepStrictEqual(Object.keys(LeadRow.fields), [...SHEET_COLUMNS])
  })
})

describe("toSheetRow", () => {
  it.prop("gives one plain cell per column, lead id first, every value in its own column", [Arbitrary.make(LeadRow)], ([row]) => {
    const cells = toSheetRow(row)
    assert.strictEqual(cells.length, SHEET_COLUMNS.length)
    assert.strictEqual(cells[0], row.lead_id)
    SHEET_COLUMNS.forEach((name, i) => {
      const value = row[name]
      const cell = cells[i]
      if (value === undefined || value === null) assert.strictEqual(cell, "")
      else if (value instanceof Date) assert.strictEqual(cell, value.toISOString())
      else if (DateTime.isDateTime(value)) assert.strictEqual(cell, new Date(DateTime.toEpochMillis(value)).toISOString())
      else assert.strictEqual(cell, value)
    })
  })

  it("an empty row is all empty cells but the id", () => {
    const cells = toSheetRow({ lead_id: "17" })
    assert.deepStrictEqual(cells, ["17", ...Array(SHEET_COLUMNS.length - 1).fill("")])
  })

  it.prop("the schema refuses a blank lead id and negative counts", [fc.constantFrom(" ", "")], ([blank]) => {
    assert.throws(() => LeadRow.make({ lead_id: blank }))
    assert.throws(() => LeadRow.make({ lead_id: 1, reference_media_count: -1 }))
  })
})
