-- vig-tui on PostgreSQL, version 2.
--
-- Every login may read which migrations the register has (vig-tui checks them when it
-- opens), and nothing else of the runner's table.
GRANT SELECT ON vig.schema_migrations TO vig_coordinator, vig_referrer;

-- The register's rows without reading whole requests: each request's summary (what the
-- register, Home and the agenda show: vig_tui.domain.summary) is kept beside it, written
-- by the app with every save, and the order requests were made in is a column.
ALTER TABLE vig.requests ADD COLUMN created_at timestamptz;
ALTER TABLE vig.requests ADD COLUMN summary json;
UPDATE vig.requests r SET
  created_at = (r.doc ->> 'created_at')::timestamptz,
  summary = jsonb_build_object(
    'id', r.doc -> 'id', 'reference', r.doc -> 'reference', 'status', r.doc -> 'status',
    'meeting', r.doc -> 'meeting', 'updated_at', r.doc -> 'updated_at',
    'difficulty_identified_on', r.doc -> 'difficulty_identified_on',
    'child', jsonb_build_object(
      'name', r.doc #> '{child,name}', 'date_of_birth', r.doc #> '{child,date_of_birth}'),
    'referrer', jsonb_build_object(
      'name', r.doc #> '{referrer,name}', 'role', r.doc #> '{referrer,role}',
      'team', r.doc #> '{referrer,team}'),
    'route', jsonb_build_object('kind', r.doc #> '{route,kind}'),
    'carers', COALESCE((
      SELECT jsonb_agg(jsonb_build_object('name', c -> 'name', 'relationship', c -> 'relationship'))
      FROM jsonb_array_elements(r.doc -> 'carers') AS c), '[]'::jsonb),
    'decisions', COALESCE((
      SELECT jsonb_agg(jsonb_build_object(
        'meeting', d -> 'meeting', 'outcome', d -> 'outcome', 'priority', d -> 'priority'))
      FROM jsonb_array_elements(r.doc -> 'decisions') AS d), '[]'::jsonb),
    'evidence', COALESCE((
      SELECT jsonb_object_agg(e.key, jsonb_build_object(
        'ticked', e.value -> 'ticked', 'evidence', COALESCE(e.value ->> 'evidence', '') <> ''))
      FROM jsonb_each(r.doc -> 'evidence') AS e), '{}'::jsonb))::json;
ALTER TABLE vig.requests ALTER COLUMN created_at SET NOT NULL;
ALTER TABLE vig.requests ALTER COLUMN summary SET NOT NULL;
CREATE INDEX requests_created ON vig.requests (created_at, id);
