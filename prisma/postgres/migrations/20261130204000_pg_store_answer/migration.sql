-- One answer stored in one round trip (src/db/hot-path.ts, storeAnswer on PostgreSQL):
-- the same statements as the transaction SQLite runs, in order, each with a fresh
-- snapshot (READ COMMITTED), in the caller's one-statement transaction. An outcome that
-- must leave nothing behind (the update was handled before; the conversation moved
-- meanwhile) raises 'ctd_store_answer: <outcome>', which rolls the statement back.
CREATE OR REPLACE FUNCTION ctd_store_answer(
  p_at TIMESTAMP(3), p_report INTEGER, p_board INTEGER, p_person INTEGER, p_indicator INTEGER,
  p_number DOUBLE PRECISION, p_text TEXT, p_skipped BOOLEAN,
  p_cluster INTEGER, p_entity TEXT, p_after TEXT,
  p_bot BIGINT, p_update BIGINT,
  p_key TEXT, p_value TEXT, p_expected TEXT
) RETURNS TEXT LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_before TEXT;
  v_number TEXT;
  r RECORD;
BEGIN
  -- the writer is a current secretary of the report's board, and the report is open
  UPDATE "reports" SET "updated_at" = p_at
    WHERE "id" = p_report AND "board_id" = p_board
    AND EXISTS (SELECT 1 FROM "memberships" m WHERE m."person_id" = p_person AND m."board_id" = p_board
      AND m."role" = 'secretary' AND m."revoked_at" IS NULL)
    AND ("status" <> 'submitted'
      OR p_at < (SELECT p."deadline" FROM "periods" p WHERE p."id" = "reports"."period_id")
      OR ("unlocked_until" IS NOT NULL AND "unlocked_until" > p_at));
  IF NOT FOUND THEN
    IF EXISTS (SELECT 1 FROM "memberships" m WHERE m."person_id" = p_person AND m."board_id" = p_board
        AND m."role" = 'secretary' AND m."revoked_at" IS NULL) THEN
      RETURN 'locked';
    END IF;
    RETURN 'not_allowed';
  END IF;
  -- exactly once: the update id, with what it changes
  INSERT INTO "processed_updates" ("bot_id", "update_id", "handled_at") VALUES (p_bot, p_update, p_at)
    ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'ctd_store_answer: duplicate';
  END IF;
  -- compare-and-set of the conversation state
  UPDATE "conversation_states" SET "value" = p_value, "updated_at" = p_at
    WHERE "key" = p_key AND "value" = p_expected;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'ctd_store_answer: conflict';
  END IF;
  -- the value before, as the audit row shows it (JSON.stringify of the answer)
  SELECT v."number", v."text", v."skipped" INTO r
    FROM "report_values" v WHERE v."report_id" = p_report AND v."indicator_id" = p_indicator;
  IF FOUND THEN
    IF r."skipped" THEN
      v_before := '{"kind":"skipped"}';
    ELSIF r."text" IS NOT NULL THEN
      v_before := '{"kind":"text","value":' || to_json(r."text")::TEXT || '}';
    ELSE
      v_number := COALESCE(r."number", 0)::TEXT;
      IF v_number IN ('NaN', 'Infinity', '-Infinity') THEN
        v_number := 'null';
      ELSIF v_number LIKE '%e%' THEN
        v_number := COALESCE(r."number", 0)::NUMERIC::TEXT;
      END IF;
      v_before := '{"kind":"number","value":' || v_number || '}';
    END IF;
  END IF;
  INSERT INTO "report_values" ("report_id", "indicator_id", "number", "text", "skipped", "answered_by_person_id", "answered_at")
    VALUES (p_report, p_indicator, p_number, p_text, p_skipped, p_person, p_at)
    ON CONFLICT ("report_id", "indicator_id") DO UPDATE SET "number" = excluded."number", "text" = excluded."text",
      "skipped" = excluded."skipped", "answered_by_person_id" = excluded."answered_by_person_id",
      "answered_at" = excluded."answered_at";
  INSERT INTO "audit_entries" ("cluster_id", "actor_person_id", "action", "entity", "entity_id", "before", "after", "at")
    VALUES (p_cluster, p_person, 'value.set', 'report_value', p_entity, v_before, p_after, p_at);
  RETURN 'ok';
END
$fn$;
