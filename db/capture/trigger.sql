-- Attach {{trigger_literal}} unless it is there already: re-running capture never takes a lock on the source table.
DO {{tag}}
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_trigger WHERE tgrelid = {{source_literal}}::regclass AND tgname = {{trigger_literal}}) THEN
        CREATE TRIGGER {{trigger}} AFTER {{events}} ON {{source}} {{referencing}}
            FOR EACH {{level}} EXECUTE FUNCTION {{function}}();
    END IF;
END
{{tag}};
