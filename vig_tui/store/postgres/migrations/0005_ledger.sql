-- vig-tui on PostgreSQL, version 5: the service ledger, and deleting for good under a
-- retention rule.
--
-- The ledger is the file's (vig_tui.domain.history): which requests exist (created,
-- imported, sent, deleted, deleted for good) and the changes to settings, the roster and
-- meetings, each entry hash-chained after the one before by the app, which writes it in
-- the same transaction as the change. Its rows name requests of every worker, so only the
-- coordinator reads it; every login adds to it through vig.ledger_append, which takes the
-- ledger's lock (held to the end of the transaction, so entries are chained one after
-- another however many write at once) and refuses an entry not chained after the newest.
-- Like vig.history, nobody can change or delete its rows (the same trigger).
CREATE TABLE vig.ledger (
  seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entry      jsonb NOT NULL,
  hash       text NOT NULL UNIQUE,
  written_by text NOT NULL DEFAULT session_user,
  written_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON vig.ledger TO vig_coordinator;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON vig.ledger
  FOR EACH ROW EXECUTE FUNCTION vig.refuse_history_change();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON vig.ledger
  FOR EACH STATEMENT EXECUTE FUNCTION vig.refuse_history_change();

-- The hash the next entry chains after, taking the ledger's lock until the transaction ends.
CREATE FUNCTION vig.ledger_tip() RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(1447643980);  -- "VIGL"
  RETURN (SELECT l.hash FROM vig.ledger l ORDER BY l.seq DESC LIMIT 1);
END
$$;

-- Add an entry the app sealed after p_previous (NULL: the first entry).
CREATE FUNCTION vig.ledger_append(p_entry jsonb, p_hash text, p_previous text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF vig.ledger_tip() IS DISTINCT FROM p_previous THEN
    RAISE EXCEPTION 'The service ledger changed while this change was being made; try again.'
      USING ERRCODE = 'serialization_failure';
  END IF;
  IF p_entry ->> 'hash' IS DISTINCT FROM p_hash THEN
    RAISE EXCEPTION 'A ledger entry must carry its own hash.' USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO vig.ledger (entry, hash) VALUES (p_entry, p_hash);
END
$$;

-- History rows may be deleted only by vig.expunge, for the one request it is deleting.
CREATE OR REPLACE FUNCTION vig.refuse_history_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  -- Nested: OLD.request_id exists only on vig.history (the ledger shares this trigger).
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'history' THEN
    IF current_setting('vig.expunging', true) = OLD.request_id::text THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'History is kept as written: entries cannot be changed or deleted.'
    USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Delete a request of any status and every history row it has (replaced ones too) for
-- good, under a retention rule, with the ledger's tombstone (sealed by the app after
-- p_previous) in the same transaction. Only a coordinator's login may.
CREATE FUNCTION vig.expunge(
  p_request uuid, p_base_version integer, p_entry jsonb, p_hash text, p_previous text
) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  held integer;
BEGIN
  IF NOT pg_has_role(session_user, 'vig_coordinator', 'MEMBER') THEN
    RAISE EXCEPTION 'Only the coordinator may delete a request for good.'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (p_entry ->> 'action') IS DISTINCT FROM 'expunged'
     OR (p_entry ->> 'request_id') IS DISTINCT FROM p_request::text THEN
    RAISE EXCEPTION 'A request deleted for good leaves its tombstone in the ledger.'
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT r.version INTO held FROM vig.requests r WHERE r.id = p_request FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'There is no request with id %.', p_request USING ERRCODE = 'no_data_found';
  END IF;
  IF held <> p_base_version THEN
    RAISE EXCEPTION 'The request changed (version %, not %); nothing was deleted.',
      held, p_base_version USING ERRCODE = 'serialization_failure';
  END IF;
  PERFORM set_config('vig.expunging', p_request::text, true);
  DELETE FROM vig.history h WHERE h.request_id = p_request;
  PERFORM set_config('vig.expunging', '', true);
  DELETE FROM vig.requests r WHERE r.id = p_request;
  PERFORM vig.ledger_append(p_entry, p_hash, p_previous);
END
$$;

REVOKE ALL ON FUNCTION vig.ledger_tip(), vig.ledger_append(jsonb, text, text),
  vig.expunge(uuid, integer, jsonb, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vig.ledger_tip(), vig.ledger_append(jsonb, text, text)
  TO vig_coordinator, vig_referrer;
GRANT EXECUTE ON FUNCTION vig.expunge(uuid, integer, jsonb, text, text) TO vig_coordinator;
