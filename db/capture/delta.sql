-- The delta table of sync {{sync_literal}}: the keys of changed rows, in capture order. Only keys are recorded: the
-- row itself is read at apply time, so any row size and any column type works, and many updates of one row collapse
-- into one copy. A row whose key columns are all NULL marks a TRUNCATE (real keys are never NULL).
-- Autovacuum runs early: the replicator deletes what it consumed, batch after batch.
-- A changed key (other columns or types) needs a new delta table; a key change also changes the sync's fingerprint,
-- so the table is copied again from scratch and the dropped changes are not needed.
DO {{tag}}
BEGIN
    IF EXISTS (SELECT FROM actorsync.syncs WHERE sync_name = {{sync_literal}} AND key_columns IS DISTINCT FROM {{key_array_literal}}) THEN
        DROP TABLE IF EXISTS {{delta}};
    END IF;
END
{{tag}};
CREATE TABLE IF NOT EXISTS {{delta}} (
    actorsync_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actorsync_at  timestamptz NOT NULL DEFAULT statement_timestamp(),
    {{key_definitions}}
) WITH (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 10000);
INSERT INTO actorsync.syncs (sync_name, source_schema, source_table, delta_table, key_columns, capture_mode)
VALUES ({{sync_literal}}, {{source_schema_literal}}, {{source_table_literal}}, {{delta_literal}}, {{key_array_literal}}, {{mode_literal}})
ON CONFLICT (sync_name) DO UPDATE
SET source_schema = EXCLUDED.source_schema, source_table = EXCLUDED.source_table, delta_table = EXCLUDED.delta_table,
    key_columns = EXCLUDED.key_columns, capture_mode = EXCLUDED.capture_mode;
