-- vig-tui on PostgreSQL, version 1: the register, its roles and who may see what.
--
-- Applied by `vig-tui server init` inside one transaction (the runner records it in
-- vig.schema_migrations). Two group roles hold the privileges; people log in as their
-- own login, a member of one of them (`vig-tui server add-user`):
--   vig_coordinator  sees every request, records decisions, manages roster, meetings, settings
--   vig_referrer     sees and changes only the requests they own (owner = their login)
-- Row-level security enforces this in the server, whatever program connects.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vig_coordinator') THEN
    CREATE ROLE vig_coordinator NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vig_referrer') THEN
    CREATE ROLE vig_referrer NOLOGIN;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA vig TO vig_coordinator, vig_referrer;

-- The people who use the register: their login, full name and role.
CREATE TABLE vig.users (
  login    text PRIMARY KEY,
  name     text NOT NULL,
  role     text NOT NULL CHECK (role IN ('coordinator', 'referrer')),
  added_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON vig.users TO vig_coordinator, vig_referrer;

-- One row per request. `doc` is the request as JSON without its history (kept in
-- vig.history, which nobody can rewrite); the other columns are what queries need.
CREATE TABLE vig.requests (
  id            uuid PRIMARY KEY,
  owner         text NOT NULL DEFAULT current_user,
  version       integer NOT NULL CHECK (version > 0),
  reference     text UNIQUE,
  status        text NOT NULL,
  meeting       date,
  updated_at    timestamptz NOT NULL,
  history_count integer NOT NULL DEFAULT 0 CHECK (history_count >= 0),
  doc           jsonb NOT NULL
);
CREATE INDEX requests_status ON vig.requests (status);
CREATE INDEX requests_meeting ON vig.requests (meeting);
CREATE INDEX requests_owner ON vig.requests (owner);
GRANT SELECT, INSERT, UPDATE, DELETE ON vig.requests TO vig_coordinator, vig_referrer;

ALTER TABLE vig.requests ENABLE ROW LEVEL SECURITY;
CREATE POLICY coordinator_all ON vig.requests TO vig_coordinator
  USING (true) WITH CHECK (true);
CREATE POLICY referrer_reads_own ON vig.requests FOR SELECT TO vig_referrer
  USING (owner = current_user);
CREATE POLICY referrer_adds_own ON vig.requests FOR INSERT TO vig_referrer
  WITH CHECK (owner = current_user);
CREATE POLICY referrer_changes_own ON vig.requests FOR UPDATE TO vig_referrer
  USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY referrer_deletes_own_drafts ON vig.requests FOR DELETE TO vig_referrer
  USING (owner = current_user AND status = 'draft');

-- Only a coordinator's login records decisions and the statuses they lead to; a
-- referrer sends, withdraws and corrects. (Logins in neither role, such as the
-- database owner running `vig-tui copy`, are not limited here.)
CREATE FUNCTION vig.is_referrer_only() RETURNS boolean
  LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(current_user, 'vig_referrer', 'MEMBER')
       AND NOT pg_has_role(current_user, 'vig_coordinator', 'MEMBER')
  $$;

CREATE FUNCTION vig.guard_decisions() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NOT vig.is_referrer_only() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF jsonb_array_length(COALESCE(NEW.doc -> 'decisions', '[]'::jsonb)) > 0
       OR NEW.status NOT IN ('draft', 'submitted', 'withdrawn') THEN
      RAISE EXCEPTION 'Only the coordinator records decisions.'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END IF;
  IF (NEW.doc -> 'decisions') IS DISTINCT FROM (OLD.doc -> 'decisions')
     OR (NEW.status IS DISTINCT FROM OLD.status
         AND NEW.status NOT IN ('draft', 'submitted', 'withdrawn')) THEN
    RAISE EXCEPTION 'Only the coordinator records decisions.'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.owner IS DISTINCT FROM OLD.owner THEN
    RAISE EXCEPTION 'A request stays with the worker who made it.'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER requests_guard_decisions BEFORE INSERT OR UPDATE ON vig.requests
  FOR EACH ROW EXECUTE FUNCTION vig.guard_decisions();

-- Each request's history, one row per entry, in order. Rows are only ever added:
-- the trigger below refuses UPDATE, DELETE and TRUNCATE for everyone.
CREATE TABLE vig.history (
  seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id uuid NOT NULL,
  owner      text NOT NULL DEFAULT current_user,
  position   integer NOT NULL CHECK (position >= 0),
  entry      jsonb NOT NULL,
  written_by text NOT NULL DEFAULT current_user,
  written_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (request_id, position)
);
GRANT SELECT, INSERT ON vig.history TO vig_coordinator, vig_referrer;

ALTER TABLE vig.history ENABLE ROW LEVEL SECURITY;
CREATE POLICY coordinator_reads_and_adds ON vig.history TO vig_coordinator
  USING (true) WITH CHECK (true);
CREATE POLICY referrer_reads_own ON vig.history FOR SELECT TO vig_referrer
  USING (owner = current_user);
CREATE POLICY referrer_adds_own ON vig.history FOR INSERT TO vig_referrer
  WITH CHECK (owner = current_user);

CREATE FUNCTION vig.refuse_history_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'History is kept as written: entries cannot be changed or deleted.'
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON vig.history
  FOR EACH ROW EXECUTE FUNCTION vig.refuse_history_change();
CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON vig.history
  FOR EACH STATEMENT EXECUTE FUNCTION vig.refuse_history_change();

-- References: one counter row per year, locked FOR UPDATE by the send that takes
-- the next number, so numbers are unique and consecutive however many send at once.
CREATE TABLE vig.reference_counters (
  year integer PRIMARY KEY,
  last integer NOT NULL CHECK (last >= 0)
);
GRANT SELECT, INSERT, UPDATE ON vig.reference_counters TO vig_coordinator, vig_referrer;

-- The roster, moved meetings and settings: everyone reads, the coordinator changes.
CREATE TABLE vig.practitioners (
  id  uuid PRIMARY KEY,
  doc jsonb NOT NULL
);
CREATE TABLE vig.meeting_moves (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  doc jsonb NOT NULL
);
CREATE TABLE vig.settings (
  name  text PRIMARY KEY,
  value jsonb NOT NULL
);
INSERT INTO vig.settings (name, value) VALUES ('cutoff_days', '1');
GRANT SELECT ON vig.practitioners, vig.meeting_moves, vig.settings TO vig_referrer;
GRANT SELECT, INSERT, UPDATE, DELETE ON vig.practitioners, vig.meeting_moves, vig.settings
  TO vig_coordinator;

-- Live: every change to the register tells the listening apps (LISTEN vig_register)
-- which table changed, and nothing more (a notification passes row security by).
CREATE FUNCTION vig.notify_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('vig_register', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
CREATE TRIGGER requests_notify AFTER INSERT OR UPDATE OR DELETE ON vig.requests
  FOR EACH STATEMENT EXECUTE FUNCTION vig.notify_change();
CREATE TRIGGER practitioners_notify AFTER INSERT OR UPDATE OR DELETE ON vig.practitioners
  FOR EACH STATEMENT EXECUTE FUNCTION vig.notify_change();
CREATE TRIGGER meeting_moves_notify AFTER INSERT OR UPDATE OR DELETE ON vig.meeting_moves
  FOR EACH STATEMENT EXECUTE FUNCTION vig.notify_change();
CREATE TRIGGER settings_notify AFTER INSERT OR UPDATE OR DELETE ON vig.settings
  FOR EACH STATEMENT EXECUTE FUNCTION vig.notify_change();
