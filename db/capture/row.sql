-- Row-level capture for sync {{sync_literal}}: one delta row per changed row (two when an UPDATE changes the key).
-- Measured on this design's target machine (shared/bench/capture/RESULTS.md, pgbench TPC-B): a row trigger that stores
-- only the key keeps 0.86 of the no-trigger TPS at 16 clients, against 0.69 for statement-level transition tables,
-- whose per-statement setup dominates single-row OLTP statements. Static SQL, no dynamic EXECUTE: the plan is cached.
-- SECURITY DEFINER: the trigger writes the delta as the sync role that owns it, so writers need no grant on ActorSync's
-- schema and cannot write the delta themselves (docs/security.md). Nothing in the body is looked up through the writer's
-- search_path, so a writer cannot slip its own operator, function or type in: every name is schema-qualified, and a key
-- change is found with pg_catalog's record "=", which compares each key column with its type's default btree equality
-- (any key type, as cheap as IS DISTINCT FROM, no "=" looked up by name). No SET search_path clause: it re-parses the
-- setting on every call, about a quarter more time per row in bulk row-trigger writes, measured here.
CREATE OR REPLACE FUNCTION {{function}}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS {{tag}}
BEGIN
    IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
        INSERT INTO {{delta}} ({{key_list}}) VALUES ({{old_keys}});
    ELSE
        INSERT INTO {{delta}} ({{key_list}}) VALUES ({{new_keys}});
        IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE'
           AND NOT (ROW({{old_keys}})::pg_catalog.record OPERATOR(pg_catalog.=) ROW({{new_keys}})::pg_catalog.record) THEN
            INSERT INTO {{delta}} ({{key_list}}) VALUES ({{old_keys}});
        END IF;
    END IF;
    RETURN NULL;
END
{{tag}};
