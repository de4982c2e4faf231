-- vig-tui on PostgreSQL, version 6: the copy of each request last received by file from
-- its sender, the base the next copy received is merged against (issue #11). Receiving
-- is the coordinator's: referrers neither read nor write these copies.
CREATE TABLE vig.received_copies (
  request_id  uuid PRIMARY KEY REFERENCES vig.requests (id) ON DELETE CASCADE,
  doc         jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE ON vig.received_copies TO vig_coordinator;
