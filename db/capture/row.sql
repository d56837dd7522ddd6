-- Row-level capture for sync {{sync_literal}}: one delta row per changed row (two when an UPDATE changes the key).
-- Measured on this design's target machine (shared/bench/capture/RESULTS.md, pgbench TPC-B): a row trigger that stores
-- only the key keeps 0.86 of the no-trigger TPS at 16 clients, against 0.69 for statement-level transition tables,
-- whose per-statement setup dominates single-row OLTP statements. Static SQL, no dynamic EXECUTE: the plan is cached.
CREATE OR REPLACE FUNCTION {{function}}() RETURNS trigger LANGUAGE plpgsql AS {{tag}}
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO {{delta}} ({{key_list}}) VALUES ({{old_keys}});
    ELSE
        INSERT INTO {{delta}} ({{key_list}}) VALUES ({{new_keys}});
        IF TG_OP = 'UPDATE' AND ({{old_keys}}) IS DISTINCT FROM ({{new_keys}}) THEN
            INSERT INTO {{delta}} ({{key_list}}) VALUES ({{old_keys}});
        END IF;
    END IF;
    RETURN NULL;
END
{{tag}};
