-- ActorSync state in a target database: one row per sync and the snapshot's progress per key range. Idempotent.
-- Both live beside the data they describe, so a range's rows and its checkpoint commit together.
-- As in capture/schema.sql: a schema created for ActorSync by an administrator needs no CREATE privilege on the database.
DO {{tag}}
BEGIN
    IF pg_catalog.to_regnamespace('actorsync') IS NULL THEN
        CREATE SCHEMA actorsync;
    END IF;
END
{{tag}};
COMMENT ON SCHEMA actorsync IS 'ActorSync: capture and state. Remove with `actorsync uninstall`, not by hand.';
CREATE TABLE IF NOT EXISTS actorsync.sync_state (
    sync_name           text PRIMARY KEY,
    source_table        text NOT NULL,
    target_table        text NOT NULL,
    config_fingerprint  text NOT NULL,
    snapshot_status     text NOT NULL DEFAULT 'pending' CHECK (snapshot_status IN ('pending', 'copying', 'done')),
    snapshot_started_at timestamptz,
    snapshot_done_at    timestamptz,
    rows_estimated      bigint,
    paused              boolean NOT NULL DEFAULT false,
    source_columns      text[],
    updated_at          timestamptz NOT NULL DEFAULT now()
);
-- source_columns ("name" type of each source column the sync was planned for) is how a schema change is noticed.
-- Upgrades: columns added by later versions are added here too, so an existing installation keeps working.
ALTER TABLE actorsync.sync_state ADD COLUMN IF NOT EXISTS source_columns text[];
CREATE TABLE IF NOT EXISTS actorsync.snapshot_ranges (
    sync_name   text NOT NULL REFERENCES actorsync.sync_state ON DELETE CASCADE,
    range_no    integer NOT NULL,
    lower_bound text,
    upper_bound text,
    rows_copied bigint,
    done_at     timestamptz,
    PRIMARY KEY (sync_name, range_no)
);
-- snapshot-indexes = defer: the target indexes a snapshot drops to build after its copy, with the statement that builds
-- each again. Saved in the transaction that drops the index and deleted in the one that rebuilds it, so a definition is
-- never lost: a copy that is killed rebuilds them when it resumes, and `actorsync uninstall` rebuilds them first.
CREATE TABLE IF NOT EXISTS actorsync.deferred_indexes (
    sync_name   text NOT NULL,
    index_name  text NOT NULL,
    table_oid   oid NOT NULL,
    is_primary  boolean NOT NULL,
    is_unique   boolean NOT NULL,
    key_columns text[],
    definition  text NOT NULL,
    deferred_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sync_name, index_name)
);
-- on-apply-error = dead-letter: the keys a target refused, with the error, instead of a sync stopped by one row
-- (issue #19). A key is tried again when its source row changes (and on `actorsync dead-letters retry`); it leaves this
-- table when it applies, or on `actorsync dead-letters discard`. The key is JSON, column name to value.
CREATE TABLE IF NOT EXISTS actorsync.dead_letters (
    sync_name  text NOT NULL,
    key        jsonb NOT NULL,
    error      text NOT NULL,
    sqlstate   text NOT NULL,
    first_seen timestamptz NOT NULL DEFAULT now(),
    last_seen  timestamptz NOT NULL DEFAULT now(),
    attempts   integer NOT NULL DEFAULT 1,
    PRIMARY KEY (sync_name, key)
);
