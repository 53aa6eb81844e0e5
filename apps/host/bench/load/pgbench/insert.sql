-- PostgreSQL's bare insert rate: one message row per transaction (autocommit).
\set lead random(1, 10000)
INSERT INTO pgb_messages (lead_id, direction, wa_message_id, kind, body, wa_timestamp) VALUES (:lead, 'in', 'wamid.pgb', 'text', 'A dragon tattoo on my arm', 1700000000);
