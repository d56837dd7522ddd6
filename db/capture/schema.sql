-- ActorSync capture, once per source database: the schema and the registry of syncs. Idempotent.
-- An administrator may create the schema for ActorSync (CREATE SCHEMA actorsync AUTHORIZATION <sync role>), so the sync
-- role needs no CREATE privilege on the database: CREATE SCHEMA IF NOT EXISTS would ask for it even when the schema exists.
DO {{tag}}
BEGIN
    IF pg_catalog.to_regnamespace('actorsync') IS NULL THEN
        CREATE SCHEMA actorsync;
    END IF;
END
{{tag}};
COMMENT ON SCHEMA actorsync IS 'ActorSync: capture and state. Remove with `actorsync uninstall`, not by hand.';
CREATE TABLE IF NOT EXISTS actorsync.syncs (
    sync_name     text PRIMARY KEY,
    source_schema text NOT NULL,
    source_table  text NOT NULL,
    delta_table   text NOT NULL,
    key_columns   text[] NOT NULL,
    capture_mode  text NOT NULL,
    installed_at  timestamptz NOT NULL DEFAULT now()
);
