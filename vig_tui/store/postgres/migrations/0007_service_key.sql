-- vig-tui on PostgreSQL, version 7: the service's PUBLIC key, which makes the register the
-- VIG service's (issue #11): requests sent by file are sealed to it. One row at most, put
-- by `vig-tui service-key create` (or `install-private`) as a coordinator; every login
-- reads it (`vig-tui service-key show` works for anyone, and a referrer's app knows it
-- sends straight here). The PRIVATE key never comes to the server: it stays in the
-- coordinator's own data folder, so neither a referrer nor anyone reading the tables
-- (a database administrator, a backup) can open a request sealed to the service.
-- Nobody changes or removes it: requests sealed to it could no longer be opened.
CREATE TABLE vig.service_key (
  only_one   boolean PRIMARY KEY DEFAULT true CHECK (only_one),
  public_key text NOT NULL CHECK (public_key ~ '^age1[02-9ac-hj-np-z]{58}$'),
  made_by    text NOT NULL DEFAULT session_user,
  made_at    timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON vig.service_key TO vig_coordinator, vig_referrer;
GRANT INSERT ON vig.service_key TO vig_coordinator;
CREATE FUNCTION vig.refuse_service_key_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'The service''s key is kept as made: requests sealed to it could not be '
    'opened again.' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER service_key_kept BEFORE UPDATE OR DELETE ON vig.service_key
  FOR EACH ROW EXECUTE FUNCTION vig.refuse_service_key_change();
