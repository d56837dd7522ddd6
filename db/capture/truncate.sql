-- TRUNCATE of the source of sync {{sync_literal}}: a delta row with NULL keys tells the replicator to empty the target.
-- SECURITY DEFINER with schema-qualified names only, as in row.sql.
CREATE OR REPLACE FUNCTION {{function}}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS {{tag}}
BEGIN
    INSERT INTO {{delta}} DEFAULT VALUES;
    RETURN NULL;
END
{{tag}};
