-- TRUNCATE of the source of sync {{sync_literal}}: a delta row with NULL keys tells the replicator to empty the target.
CREATE OR REPLACE FUNCTION {{function}}() RETURNS trigger LANGUAGE plpgsql AS {{tag}}
BEGIN
    INSERT INTO {{delta}} DEFAULT VALUES;
    RETURN NULL;
END
{{tag}};
