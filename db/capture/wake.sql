-- The wake-up for sync {{sync_literal}}, once per statement. NOTIFY takes a cluster-wide lock at commit, held across
-- the commit flush: notifying on every commit dropped pgbench to 0.57 of its TPS at 16 clients
-- (shared/bench/capture/RESULTS.md). So a writer notifies only when the replicator is idle and waiting, which it
-- learns without reading any table: ActorSync's listener holds advisory lock ({{lock_class}}, {{lock_key}})
-- exclusively while the replicator waits. A writer that cannot take it shared sends the wake-up; one that can keeps
-- it until its transaction ends, so the replicator cannot go idle before that transaction's changes are visible.
-- A busy replicator keeps polling its delta, so nothing is missed either way.
-- SECURITY DEFINER with schema-qualified names only, as in row.sql.
CREATE OR REPLACE FUNCTION {{function}}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS {{tag}}
BEGIN
    IF NOT pg_catalog.pg_try_advisory_xact_lock_shared({{lock_class}}, {{lock_key}}) THEN
        PERFORM pg_catalog.pg_notify('actorsync', {{sync_literal}});
    END IF;
    RETURN NULL;
END
{{tag}};
