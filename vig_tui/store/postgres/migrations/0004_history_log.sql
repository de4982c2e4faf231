-- vig-tui on PostgreSQL, version 4: vig.history becomes a log.
--
-- While a draft is being written, the entry of one visit to a section is replaced by the
-- next autosave of that visit (vig_tui.domain.history). Rows are still never changed or
-- deleted: the replacing entry is a new row at the same position, and a request's history
-- is the newest row at each of its positions below requests.history_count. The entries
-- replaced stay in the table, readable by the same people as the request.
ALTER TABLE vig.history DROP CONSTRAINT history_request_id_position_key;
CREATE INDEX history_request_position ON vig.history (request_id, position, seq);
