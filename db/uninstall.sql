-- Removes everything ActorSync installed in this database, and nothing else: the triggers that call its functions,
-- its functions and tables, then the actorsync schema itself. RESTRICT everywhere: if anything of yours depends on
-- ActorSync's objects (a view over a delta table, a table you put in the schema), the whole removal is rolled back
-- with an error naming it. Idempotent: a database without the schema is left as it is. Target indexes that a snapshot
-- still holds back (actorsync.deferred_indexes, an interrupted copy) are built again first: they are yours.
DO {{tag}}
DECLARE
    r record;
    tables text;
BEGIN
    IF pg_catalog.to_regnamespace('actorsync') IS NULL THEN
        RETURN;
    END IF;
    IF pg_catalog.to_regclass('actorsync.deferred_indexes') IS NOT NULL THEN
        FOR r IN SELECT d.definition FROM actorsync.deferred_indexes d ORDER BY d.is_primary DESC, d.is_unique DESC, d.index_name COLLATE "C"
        LOOP
            EXECUTE r.definition;
        END LOOP;
    END IF;
    FOR r IN
        SELECT t.tgname, t.tgrelid::regclass AS rel
        FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
        WHERE p.pronamespace = 'actorsync'::regnamespace AND NOT t.tgisinternal
    LOOP
        EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', r.tgname, r.rel);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'actorsync'::regnamespace
    LOOP
        EXECUTE pg_catalog.format('DROP FUNCTION %s', r.fn);
    END LOOP;
    SELECT pg_catalog.string_agg(c.oid::regclass::text, ', ') INTO tables
    FROM pg_catalog.pg_class c WHERE c.relnamespace = 'actorsync'::regnamespace AND c.relkind IN ('r', 'p');
    IF tables IS NOT NULL THEN
        EXECUTE 'DROP TABLE ' || tables;
    END IF;
    DROP SCHEMA actorsync;
END
{{tag}};
