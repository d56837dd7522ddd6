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
-- actorsync_xid is the source transaction that made the change (issue #19: a batch of a consistent group is to end at
-- a transaction boundary, so a reader of the target sees each source transaction whole). pg_current_xact_id() is the
-- writer's transaction even in the SECURITY DEFINER trigger, and the same for every change of that transaction.
CREATE TABLE IF NOT EXISTS {{delta}} (
    actorsync_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actorsync_at  timestamptz NOT NULL DEFAULT statement_timestamp(),
    actorsync_xid xid8 DEFAULT pg_catalog.pg_current_xact_id(),
    {{key_definitions}}
) WITH (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 10000);
-- Upgrade of a delta made by an earlier version: the column is added without a default first (no rewrite of the
-- table; changes already recorded keep NULL, "transaction unknown"), then new changes get the writer's transaction.
-- Only when it is missing: ALTER TABLE takes a lock that would queue the source's writers at every start.
DO {{tag}}
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute
                   WHERE attrelid = pg_catalog.to_regclass({{delta_qualified_literal}}) AND attname = 'actorsync_xid' AND NOT attisdropped) THEN
        ALTER TABLE {{delta}} ADD COLUMN actorsync_xid xid8;
        ALTER TABLE {{delta}} ALTER COLUMN actorsync_xid SET DEFAULT pg_catalog.pg_current_xact_id();
    END IF;
END
{{tag}};
INSERT INTO actorsync.syncs (sync_name, source_schema, source_table, delta_table, key_columns, capture_mode)
VALUES ({{sync_literal}}, {{source_schema_literal}}, {{source_table_literal}}, {{delta_literal}}, {{key_array_literal}}, {{mode_literal}})
ON CONFLICT (sync_name) DO UPDATE
SET source_schema = EXCLUDED.source_schema, source_table = EXCLUDED.source_table, delta_table = EXCLUDED.delta_table,
    key_columns = EXCLUDED.key_columns, capture_mode = EXCLUDED.capture_mode;
