-- Statement-level capture for sync {{sync_literal}} on {{events}}: one INSERT ... SELECT per statement from its
-- transition table. For bulk statements this costs 2.2x the bare insert against 4.0x for row triggers
-- (shared/bench/capture/RESULTS.md: 1,000,000-row INSERT ... SELECT). PostgreSQL refuses transition tables on
-- triggers with more than one event, hence one function and one trigger per event.
-- SECURITY DEFINER with schema-qualified names only, as in row.sql.
CREATE OR REPLACE FUNCTION {{function}}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS {{tag}}
BEGIN
    INSERT INTO {{delta}} ({{key_list}}) {{select_keys}};
    RETURN NULL;
END
{{tag}};
