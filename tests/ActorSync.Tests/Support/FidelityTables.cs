namespace ActorSync.Tests.Support;

/// <summary>
/// The fidelity tests' tables and rows (issue 5): every column type, at its edges. Apply/FidelityTests runs them between
/// databases of one server, Apply/CrossVersionTests between servers of different major versions.
/// </summary>
public static class FidelityTables
{
    /// <summary>A table with a column of every type the fidelity tests carry; <c>{0}</c> is its name.</summary>
    public const string TypesDdl = """
        CREATE TABLE IF NOT EXISTS {0} (
            id bigint NOT NULL, part smallint NOT NULL,
            i2 smallint, i4 integer, i8 bigint,
            n numeric, n_fixed numeric(12, 4),
            f4 real, f8 double precision,
            t text, vc varchar(20), ch char(3),
            b bytea, flag boolean,
            d date, tm time, tmtz timetz, ts timestamp, tstz timestamptz, iv interval,
            u uuid, j json, jb jsonb,
            ai integer[], at text[], a2 integer[][],
            m mood, dm positive_int, moods mood[],
            addr inet, net cidr, mac macaddr, pt point, r int4range, tr tstzrange, bits bit varying(16), tsv tsvector,
            total numeric GENERATED ALWAYS AS (coalesce(i4, 0)::numeric + coalesce(i8, 0)) STORED,
            PRIMARY KEY (id, part)
        )
        """;

    /// <summary>The enum and the domain <see cref="TypesDdl"/> uses, created once per database.</summary>
    public const string Types = """
        DO $$ BEGIN
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'ünïcode ☃');
            CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
        EXCEPTION WHEN duplicate_object THEN NULL; END $$;
        """;

    /// <summary>Rows at the edges of every type of <see cref="TypesDdl"/> (extremes, NaN, infinities, empties, nulls, Unicode).</summary>
    public const string Rows = """
        INSERT INTO {0} (id, part, i2, i4, i8, n, n_fixed, f4, f8, t, vc, ch, b, flag, d, tm, tmtz, ts, tstz, iv, u, j, jb,
                         ai, at, a2, m, dm, moods, addr, net, mac, pt, r, tr, bits, tsv) VALUES
        (1, 1, -32768, -2147483648, -9223372036854775808,
         ('1' || repeat('0', 1000) || '.' || repeat('9', 1000))::numeric, 12345678.1234,
         '-0'::real, '-0'::float8, 'plain', 'twenty characters!!!', 'abc',
         '\x00ff10'::bytea, true, '4713-01-01 BC', '24:00:00', '23:59:59.999999+14', '0001-01-01 00:00:00', '294276-12-31 23:59:59.999999+00',
         '-178000000 years 1 mon -1 day 00:00:00.000001', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
         '{"b": 1,   "a": [1, 2.50, "x"], "b": 2}', '{"nested": {"deep": [null, true, 1e40]}}',
         '{1,NULL,3}', '{"with \"quotes\"","NULL",NULL,""}', '{{1,2},{3,4}}', 'ünïcode ☃', 5, '{sad,happy}',
         '2001:db8::1/64', '10.0.0.0/8', '08:00:2b:01:02:03', '(1.5,-2.25)', '[1,10)', '[2024-01-01,infinity)', B'1011', 'a:1 fat:2 cat:3'),
        (1, 2, 32767, 2147483647, 9223372036854775807, 'NaN', -0.0001,
         'NaN'::real, 'Infinity'::float8, E'tab\there\nnewline \\ backslash ''quote'' 👩‍👩‍👧 עברית e\u0301', '', ' ',
         '', false, 'infinity', '00:00:00', '00:00:00-15:59', 'infinity', '-infinity', '0', '00000000-0000-0000-0000-000000000000',
         '[]', '{}', '{}', '{}', '{}', NULL, NULL, NULL, NULL, NULL, NULL, '(0,0)', 'empty', 'empty', B'', ''),
        (2, 1, 0, 0, 0, '-1e-300'::numeric, 0, '-Infinity'::real, 1.7976931348623157e308, repeat('long ☃ ', 2000), NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL),
        (3, 1, NULL, NULL, NULL, NULL, NULL, 1.4e-45, 4.9e-324, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
        """;

    /// <summary>Types whose binary form any PostgreSQL reads: such a table travels by binary COPY between databases.</summary>
    public const string PortableDdl = """
        CREATE TABLE {0} (id bigint PRIMARY KEY, n numeric, f8 double precision, t text, b bytea, tstz timestamptz,
                          j json, ai integer[], m mood, dm positive_int)
        """;

    /// <summary>Rows for <see cref="PortableDdl"/>.</summary>
    public const string PortableRows = """
        INSERT INTO {0} VALUES
          (1, 'NaN', '-0', 'ü ☃', '\x00'::bytea, 'infinity', '{"a" : 1}', '{1,NULL}', 'happy', 3),
          (2, 123456789012345678901234567890.123456789, 'NaN', NULL, NULL, '2024-02-29 12:00+05:30', 'null', '{}', NULL, NULL)
        """;
}
