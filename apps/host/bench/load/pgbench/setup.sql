-- Copies of the host's tables (same columns, defaults, indexes and foreign keys) for pgbench to write into,
-- so the baseline does not touch the host's own rows. Run in the load database after the host migrated it.
CREATE TABLE pgb_leads (LIKE leads INCLUDING ALL);
CREATE TABLE pgb_processed_messages (LIKE processed_messages INCLUDING ALL);
CREATE TABLE pgb_messages (LIKE messages INCLUDING ALL);
CREATE TABLE pgb_outbox (LIKE outbox INCLUDING ALL);
ALTER TABLE pgb_messages ADD FOREIGN KEY (lead_id) REFERENCES pgb_leads(id) ON DELETE CASCADE;
ALTER TABLE pgb_outbox ADD FOREIGN KEY (lead_id) REFERENCES pgb_leads(id) ON DELETE CASCADE;
INSERT INTO pgb_leads (id, wa_from, client_name, status)
  SELECT g, '4479' || lpad(g::text, 8, '0'), 'Bench ' || g, 'QUALIFYING' FROM generate_series(1, 10000) g;
ANALYZE pgb_leads;
