-- vig-tui on PostgreSQL, version 3: the record of each allocation meeting (who came,
-- apologies, actions agreed). Its actions may name families, so only the coordinator
-- reads and writes it.
CREATE TABLE vig.meeting_records (
  meeting date PRIMARY KEY,
  doc     jsonb NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON vig.meeting_records TO vig_coordinator;
CREATE TRIGGER meeting_records_notify AFTER INSERT OR UPDATE OR DELETE ON vig.meeting_records
  FOR EACH STATEMENT EXECUTE FUNCTION vig.notify_change();
