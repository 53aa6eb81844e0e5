-- The writes of one inbound WhatsApp message, as the host does them, in one transaction:
-- claim the message id, lock the sender, read and lock the lead, store the message, move the
-- lead, queue one reply in the outbox.
\set lead random(1, 10000)
BEGIN;
INSERT INTO pgb_processed_messages (message_id, event_type) VALUES ('wamid.pgb.' || :client_id || '.' || :lead || '.' || txid_current(), 'message.text') ON CONFLICT (message_id) DO NOTHING RETURNING id;
SELECT pg_advisory_xact_lock(hashtext('4479' || :lead));
SELECT id, status, consultation FROM pgb_leads WHERE id = :lead FOR UPDATE;
INSERT INTO pgb_messages (lead_id, direction, wa_message_id, kind, body, payload, wa_timestamp) VALUES (:lead, 'in', 'wamid.pgb', 'text', 'A dragon tattoo on my arm', '{"type":"text","text":{"body":"A dragon tattoo on my arm"}}', 1700000000);
UPDATE pgb_leads SET last_client_message_at = now(), last_client_wa_timestamp = 1700000000, version = version + 1, updated_at = now() WHERE id = :lead;
INSERT INTO pgb_outbox (lead_id, channel, kind, recipient, audience, payload) VALUES (:lead, 'whatsapp', 'consultation', '447900000000', 'client', '{"message":{"_tag":"Text","body":"Where on your body would you like it?"}}');
END;
