import { SqlClient } from "@effect/sql"
import { AMBIGUITY_REASONS, MATCHED_BY, REJECT_REASONS } from "@tattoo-bot/slot-parser"
import { Effect } from "effect"

/** Every known key at zero, so the shape is the same on a quiet week. */
const zeros = (keys: ReadonlyArray<string>): Record<string, number> => Object.fromEntries(keys.map((k) => [k, 0]))

/**
 * How the clients' slot replies of the last `days` days were read (table `slot_parses`, one row
 * per reply): `success` by `matched_by` (the slot parser's vocabulary plus `list_reply` for a
 * tapped list row), `reject` and `ambiguous` by reason.
 */
export const slotParseStats = (days: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [b] = yield* sql<{ since: Date; until: Date }>`SELECT now() - make_interval(days => ${days}) AS since, now() AS until`
    const rows = yield* sql<{ resultTag: string; key: string | null; n: number }>`
      SELECT result_tag, CASE WHEN result_tag = 'Matched' THEN matched_by ELSE reason END AS key, count(*)::int AS n
      FROM slot_parses WHERE created_at >= ${b!.since}
      GROUP BY 1, 2`
    const success = zeros([...MATCHED_BY, "list_reply"])
    const reject = zeros(REJECT_REASONS)
    const ambiguous = zeros(AMBIGUITY_REASONS)
    for (const row of rows) {
      const target = row.resultTag === "Matched" ? success : row.resultTag === "Ambiguous" ? ambiguous : reject
      const key = row.key ?? "unknown"
      target[key] = (target[key] ?? 0) + row.n
    }
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0)
    return {
      period_days: days,
      since: new Date(b!.since).toISOString(),
      until: new Date(b!.until).toISOString(),
      success,
      reject,
      ambiguous,
      total_success: sum(success),
      total_reject: sum(reject),
      total_ambiguous: sum(ambiguous),
      total: sum(success) + sum(reject) + sum(ambiguous)
    }
  })
