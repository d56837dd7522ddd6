-- Staging table of sync {{sync_literal}}: each batch's source rows are streamed here with COPY, then applied to the
-- target in one statement per kind. UNLOGGED: it only ever holds one batch inside one transaction. Rebuilt when the
-- replicator starts, so it always has the columns the sync copies now.
DROP TABLE IF EXISTS {{stage}};
CREATE UNLOGGED TABLE {{stage}} (
    actorsync_present boolean NOT NULL,
    {{column_definitions}}
);
-- The keys of a batch, for targets that take a batch as "delete these keys, then COPY the rows that exist": COPY into
-- the target itself is about three times faster than INSERT ... ON CONFLICT from a stage (measured with 1,000,000 rows).
DROP TABLE IF EXISTS {{stage_keys}};
CREATE UNLOGGED TABLE {{stage_keys}} (
    {{key_definitions}}
);
