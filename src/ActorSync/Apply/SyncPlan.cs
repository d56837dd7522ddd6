using System.Globalization;
using System.Text;
using ActorSync.Configuration;
using ActorSync.Postgres;
using ActorSync.Sql;

namespace ActorSync.Apply;

/// <summary>
/// Everything the replicator needs to move one sync's changes: the copied columns and key, the names of ActorSync's
/// objects, and the SQL for each step. All names are quoted by <see cref="Identifier"/>; the only user-written SQL is
/// the sync's <c>where</c> condition, which <c>actorsync check</c> has the server validate.
/// </summary>
public sealed partial class SyncPlan
{
    internal SyncPlan(
        SyncDefinition sync, TableSchema source, TableSchema? target, IReadOnlyList<PlannedColumn> columns,
        IReadOnlyList<PlannedColumn> keys, bool binaryCopy, bool identityAlways)
    {
        Sync = sync;
        Source = source;
        Target = target;
        Columns = columns;
        Keys = keys;
        BinaryCopy = binaryCopy;
        TargetIdentityAlways = identityAlways;
        NonKeyColumns = columns.Where(c => !c.IsKey).ToArray();
        SmallBatchesProbeSource = source.HasUniqueKeyOn(keys.Select(k => k.Name).ToArray()) &&
                           !string.Equals(sync.Source.Table, ProbeKeys, StringComparison.Ordinal);
    }

    public SyncDefinition Sync { get; }

    public TableSchema Source { get; }

    /// <summary>The target as it exists, or null when <c>create-target</c> will create it.</summary>
    public TableSchema? Target { get; }

    /// <summary>The copied columns in source order, keys included.</summary>
    public IReadOnlyList<PlannedColumn> Columns { get; }

    /// <summary>The key columns, in key order.</summary>
    public IReadOnlyList<PlannedColumn> Keys { get; }

    public IReadOnlyList<PlannedColumn> NonKeyColumns { get; }

    /// <summary>Binary COPY is used when every type travels without embedded OIDs; text COPY otherwise.</summary>
    public bool BinaryCopy { get; }

    /// <summary>The target has GENERATED ALWAYS identity columns among the copied ones: inserts override them.</summary>
    public bool TargetIdentityAlways { get; }

    public string SourceTable => Sync.Source.QuotedName;

    public string TargetTable => Sync.Target.QuotedName;

    /// <summary>The delta table: <c>actorsync.delta_&lt;sync&gt;</c>, or with WAL capture the session's table of decoded keys (<see cref="ForWal"/>).</summary>
    public string DeltaTable => _deltaTable ?? Identifier.Quote("actorsync", "delta_" + Sync.SqlName);

    public string StageTable => Identifier.Quote("actorsync", "stage_" + Sync.SqlName);

    public string StageKeysTable => Identifier.Quote("actorsync", "stage_keys_" + Sync.SqlName);

    /// <summary>
    /// Batches may replace rows (delete the batch's keys, COPY the current rows in) instead of upserting them: only when
    /// nothing can tell the difference — no foreign key references the target and it has no triggers of its own.
    /// </summary>
    public bool ReplaceRows => !Grouped && Target is { ReferencedByForeignKeys: false, HasUserTriggers: false };

    private string CopyFormat => BinaryCopy ? "binary" : "text";

    // The user's condition sits on lines of its own, so a trailing -- comment in it cannot swallow our SQL; and
    // SyncInspector has the server parse it alone first (one statement, extended protocol), so it is one expression.
    private string WhereClause => Sync.Where is { } where ? $" WHERE (\n{where}\n)" : "";

    /// <summary>A query the server parses but does not run, proving <c>where</c> is one valid boolean expression.</summary>
    public string WhereCheckSql => $"SELECT $1::int FROM {SourceTable}{WhereClause} LIMIT 0";

    private string KeyList(string? alias = null) => string.Join(", ", Keys.Select(k => Prefix(alias) + k.Quoted));

    private string KeyJoin(string left, string right) =>
        string.Join(" AND ", Keys.Select(k => $"{left}.{k.Quoted} = {right}.{k.Quoted}"));

    /// <summary>The distinct keys of the delta rows up to <paramref name="maxSeq"/> visible in the current snapshot.</summary>
    private string DeltaKeys(string maxSeq) => DeltaKeysWhere($"actorsync_seq <= {maxSeq}");

    /// <summary>The distinct keys of the delta rows matching <paramref name="condition"/> (on <c>actorsync_seq</c>).</summary>
    private string DeltaKeysWhere(string condition) =>
        $"SELECT DISTINCT {KeyList()} FROM {DeltaTable} WHERE {condition} AND {Keys[0].Quoted} IS NOT NULL";

    /// <summary>
    /// The bounds of a batch, the first <c>$1</c> delta rows by sequence: count, first and last sequence number, the
    /// last TRUNCATE marker among them, the oldest capture time.
    /// </summary>
    public string BatchBoundsSql =>
        $"SELECT count(*), min(actorsync_seq), max(actorsync_seq), max(actorsync_seq) FILTER (WHERE {Keys[0].Quoted} IS NULL), " +
        $"min(actorsync_at){(HasIntegerKey ? $", min({Keys[0].Quoted})::bigint, max({Keys[0].Quoted})::bigint" : "")} " +
        $"FROM (SELECT actorsync_seq, {Keys[0].Quoted}, actorsync_at FROM {DeltaTable} ORDER BY actorsync_seq LIMIT $1) b";

    /// <summary>
    /// One integer key column on both sides: a batch's keys then have a range whose order is the same everywhere, and a
    /// target with no row in that range has none of the batch's keys (<see cref="TargetHasKeyInRangeSql"/>).
    /// </summary>
    public bool HasIntegerKey =>
        Keys.Count == 1 && IntegerTypes.Contains(Keys[0].SourceType) && IntegerTypes.Contains(Keys[0].TargetType);

    /// <summary>Replace mode: whether the target has any row with a key from <c>$1</c> to <c>$2</c> (one index probe).</summary>
    public string TargetHasKeyInRangeSql =>
        $"SELECT EXISTS (SELECT FROM {TargetTable} WHERE {Keys[0].Quoted} BETWEEN $1 AND $2)";

    private static readonly HashSet<string> IntegerTypes = new(StringComparer.Ordinal) { "smallint", "integer", "bigint" };

    /// <summary>The contiguous ranges of the delta rows visible up to sequence <c>$1</c> (gaps and islands).</summary>
    public string BatchRangesSql =>
        $"SELECT min(s), max(s) FROM (SELECT actorsync_seq AS s, actorsync_seq - row_number() OVER (ORDER BY actorsync_seq) AS g " +
        $"FROM {DeltaTable} WHERE actorsync_seq <= $1) x GROUP BY g ORDER BY 1";

    /// <summary>The source's columns now, in the form of <see cref="Postgres.SchemaChange.Describe"/>; <c>$1</c> is its OID.</summary>
    public const string SourceColumnsProbeSql = """
        SELECT coalesce(string_agg('"' || replace(attname, '"', '""') || '" ' || pg_catalog.format_type(atttypid, atttypmod), ',' ORDER BY attnum), '')
        FROM pg_catalog.pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped
        """;

    /// <summary>Deletes consumed delta rows given as ranges <c>$1[i]..$2[i]</c> (exactly the rows read, see <see cref="SeqRanges"/>).</summary>
    public string DeleteConsumedSql =>
        $"DELETE FROM {DeltaTable} d USING unnest($1::bigint[], $2::bigint[]) AS r(lo, hi) " +
        "WHERE d.actorsync_seq BETWEEN r.lo AND r.hi";

    /// <summary>How many changes wait and how old the oldest is.</summary>
    public string PendingSql => $"SELECT count(*), min(actorsync_at) FROM {DeltaTable}";

    /// <summary>
    /// Streams, for every distinct key in the batch, one stage row: whether the source row exists (and matches
    /// <c>where</c>) and its copied columns, cast to the target's types. Runs in the batch's source snapshot.
    /// COPY takes no parameters, so the sequence bound is a formatted integer.
    /// </summary>
    public string CopyOutSql(long maxSeq, bool probe = false) => $"COPY ({StageSelectSql(maxSeq, probe)}) TO STDOUT (FORMAT {CopyFormat})";

    /// <summary>The query of <see cref="CopyOutSql"/>: one stage row per distinct key of the batch.</summary>
    private string StageSelectSql(long maxSeq, bool probe) =>
        StageSelectWhere($"actorsync_seq <= {maxSeq.ToString(CultureInfo.InvariantCulture)}", probe);

    /// <summary>One stage row per distinct key of the delta rows matching <paramref name="deltaCondition"/>.</summary>
    private string StageSelectWhere(string deltaCondition, bool probe)
    {
        var keys = probe ? ProbeKeys : "d";
        var select = new StringBuilder("SELECT s.actorsync_found IS NOT NULL");
        foreach (var column in Columns)
        {
            var value = column.IsKey ? $"{keys}.{column.Quoted}" : $"s.{column.Quoted}";
            select.Append(", ").Append(Cast(value, column));
        }

        var found = $"SELECT true AS actorsync_found, {string.Join(", ", Columns.Select(c => c.Quoted))} FROM {SourceTable}";
        var join = probe
            ? $"LEFT JOIN LATERAL ({found}{ProbeCondition()}) s ON true"
            : $"LEFT JOIN ({found}{WhereClause}) s ON {KeyJoin("s", "d")}";
        return $"{select} FROM ({DeltaKeysWhere(deltaCondition)}) {keys} {join}";
    }

    /// <summary>
    /// The source has a primary key or unique index on the sync's key, so a batch's rows can be fetched by one index
    /// probe per key (<see cref="CopyRowsOutSql"/> and <see cref="CopyOutSql"/> with <c>probe</c>). A source table that
    /// bears the probe's alias for the batch's keys would hide it inside the probe, so such a table is read by join.
    /// </summary>
    public bool SmallBatchesProbeSource { get; }

    // The batch's keys as the probe's subquery sees them. The source table is not aliased there, so that the user's
    // where condition reads exactly as check validated it (it may name the table).
    private const string ProbeKeys = "actorsync_keys";

    /// <summary>
    /// The inside of a LATERAL subquery that finds the source row of the batch's key. OFFSET 0 keeps the planner from
    /// flattening it into a join it might hash: the statistics of a delta that fills and drains many times a second are
    /// always stale (pgbench's history: 50 keys estimated as 2,000, a 60,000-row table as 4,000), and a hash join then
    /// scans the whole source table for every small batch.
    /// </summary>
    private string ProbeCondition()
    {
        var conditions = string.Join(" AND ", Keys.Select(k => $"{k.Quoted} = {ProbeKeys}.{k.Quoted}"));
        return $" WHERE {conditions}{(Sync.Where is { } where ? $" AND (\n{where}\n)" : "")} OFFSET 0";
    }

    /// <summary>COPY into the stage table, in the column order of <see cref="CopyOutSql"/>.</summary>
    public string CopyInSql =>
        $"COPY {StageTable} (actorsync_present, {string.Join(", ", Columns.Select(c => c.Quoted))}) FROM STDIN (FORMAT {CopyFormat})";

    public string TruncateStageSql => $"TRUNCATE {StageTable}";

    /// <summary>Deletes target rows whose key is in the stage but absent from the source (or no longer matching <c>where</c>).</summary>
    public string DeleteFromStageSql =>
        $"DELETE FROM {TargetTable} t USING {StageTable} s WHERE NOT s.actorsync_present AND {KeyJoin("t", "s")}";

    /// <summary>Upserts the present stage rows into the target.</summary>
    public string UpsertFromStageSql =>
        $"INSERT INTO {TargetTable} ({ColumnList()}){Overriding} SELECT {ColumnList()} FROM {StageTable} " +
        $"WHERE actorsync_present {OnConflict}";

    /// <summary>Same database: deletes target rows of batch keys that are gone from the source. <c>$1</c> is the max sequence.</summary>
    public string SameDatabaseDeleteSql =>
        $"DELETE FROM {TargetTable} t USING ({DeltaKeys("$1")}) d WHERE {KeyJoin("t", "d")} AND NOT EXISTS " +
        $"(SELECT FROM (SELECT {KeyList()} FROM {SourceTable}{WhereClause}) s WHERE {KeyJoin("s", "d")})";

    /// <summary>Same database: upserts the current source rows of batch keys. <c>$1</c> is the max sequence.</summary>
    public string SameDatabaseUpsertSql =>
        $"INSERT INTO {TargetTable} ({ColumnList()}){Overriding} " +
        $"SELECT {string.Join(", ", Columns.Select(c => Cast("s." + c.Quoted, c)))} " +
        $"FROM (SELECT {ColumnList()} FROM {SourceTable}{WhereClause}) s JOIN ({DeltaKeys("$1")}) d ON {KeyJoin("s", "d")} " +
        OnConflict;

    public string TruncateTargetSql => $"TRUNCATE {TargetTable}";

    /// <summary>
    /// A foreign key references the target: PostgreSQL refuses to TRUNCATE it (and CASCADE would empty the user's other
    /// tables), and emptying it would break its children at commit. Such a target is never emptied: a copy upserts the
    /// source's rows and then deletes only the rows whose keys the source no longer has (issue #19).
    /// </summary>
    public bool KeepsTargetRows => Grouped || Target is { ReferencedByForeignKeys: true };

    /// <summary>Every key of the source (matching <c>where</c>), cast to the target's types, for the stage of keys.</summary>
    public string CopySourceKeysOutSql =>
        $"COPY (SELECT {string.Join(", ", Keys.Select(k => Cast(k.Quoted, k)))} FROM {SourceTable}{WhereClause}) TO STDOUT (FORMAT {CopyFormat})";

    /// <summary>Deletes the target rows whose key is not in the stage of keys (filled with every source key).</summary>
    public string DeleteAbsentFromStageKeysSql =>
        $"DELETE FROM {TargetTable} t WHERE NOT EXISTS (SELECT FROM {StageKeysTable} s WHERE {KeyJoin("t", "s")})";

    /// <summary>Same database: deletes the target rows whose key the source (matching <c>where</c>) no longer has.</summary>
    public string SameDatabaseDeleteAbsentSql =>
        $"DELETE FROM {TargetTable} t WHERE NOT EXISTS (SELECT FROM (SELECT {KeyList()} FROM {SourceTable}{WhereClause}) s WHERE {KeyJoin("t", "s")})";

    /// <summary>
    /// A transaction's own scratch table for a snapshot range of a target that keeps its rows: parallel ranges cannot
    /// share the stage, whose TRUNCATE would serialise them. Dropped at commit.
    /// </summary>
    public string CreateRangeStageSql =>
        $"CREATE TEMP TABLE actorsync_range ON COMMIT DROP AS SELECT {ColumnList()} FROM {TargetTable} WITH NO DATA";

    /// <summary>COPY into the range's scratch table.</summary>
    public string CopyRangeStageInSql => $"COPY actorsync_range ({ColumnList()}) FROM STDIN (FORMAT {CopyFormat})";

    /// <summary>Upserts the range's rows into the target.</summary>
    public string UpsertFromRangeStageSql =>
        $"INSERT INTO {TargetTable} ({ColumnList()}){Overriding} SELECT {ColumnList()} FROM actorsync_range {OnConflict}";

    /// <summary>Snapshot: the current source rows matching <paramref name="range"/> (a key-range condition, or null for all).</summary>
    public string SnapshotCopyOutSql(string? range)
    {
        var conditions = new[] { range, Sync.Where is { } where ? $"(\n{where}\n)" : null }.Where(c => c is not null).ToArray();
        return $"COPY (SELECT {string.Join(", ", Columns.Select(c => Cast(c.Quoted, c)))} FROM {SourceTable}" +
               $"{(conditions.Length > 0 ? " WHERE " + string.Join(" AND ", conditions) : "")}) TO STDOUT (FORMAT {CopyFormat})";
    }

    /// <summary>COPY straight into the target: snapshot ranges (each key lies in one range) and replace-mode batches (keys deleted first).</summary>
    public string CopyRowsInSql => $"COPY {TargetTable} ({ColumnList()}) FROM STDIN (FORMAT {CopyFormat})";

    /// <summary>
    /// What the target's contents depend on: tables, key, copied columns with their types, and the row filter. When
    /// it changes, the sync copies its table again.
    /// </summary>
    public string Fingerprint
    {
        get
        {
            var text = string.Join(
                "\n",
                Sync.Source.ToString(), Sync.Target.ToString(),
                string.Join(",", Keys.Select(k => $"{k.Name} {k.SourceType}")),
                string.Join(",", Columns.Select(c => $"{c.Name} {c.SourceType}>{c.TargetType}")),
                Sync.Where ?? "");
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32].ToLowerInvariant();
        }
    }

    /// <summary>The stage table's DDL for the target database.</summary>
    public string StageDdl => SqlTemplate.Render("target/stage.sql", new Dictionary<string, string>
    {
        ["sync_literal"] = Literal.Quote(Sync.SqlName),
        ["stage"] = StageTable,
        ["column_definitions"] = string.Join(",\n    ", Columns.Select(c => $"{c.Quoted} {c.TargetType}")),
        ["stage_keys"] = StageKeysTable,
        ["key_definitions"] = string.Join(",\n    ", Keys.Select(c => $"{c.Quoted} {c.TargetType}")),
    });

    /// <summary>Replace mode: the batch's distinct keys, cast to the target's types, for the stage of keys.</summary>
    public string CopyKeysOutSql(long maxSeq) =>
        $"COPY (SELECT {string.Join(", ", Keys.Select(k => Cast(k.Quoted, k)))} FROM ({DeltaKeys(maxSeq.ToString(CultureInfo.InvariantCulture))}) d) " +
        $"TO STDOUT (FORMAT {CopyFormat})";

    /// <summary>Replace mode, small batches: the batch's distinct keys as text, one column per key column. <c>$1</c> is the max sequence.</summary>
    public string SelectKeysAsTextSql =>
        $"SELECT {string.Join(", ", Keys.Select(k => k.Quoted + "::text"))} FROM ({DeltaKeys("$1")}) d";

    /// <summary>
    /// Replace mode, small batches: deletes the target rows whose keys come as text arrays, one parameter per key
    /// column (cast back with the target's types: the text form of every type round-trips).
    /// </summary>
    public string DeleteByKeyArraysSql =>
        $"DELETE FROM {TargetTable} t USING unnest({string.Join(", ", Keys.Select((_, i) => $"${i + 1}::text[]"))}) " +
        $"AS k({string.Join(", ", Keys.Select((_, i) => $"c{i}"))}) " +
        $"WHERE {string.Join(" AND ", Keys.Select((k, i) => $"t.{k.Quoted} = k.c{i}::{k.TargetType}"))}";

    /// <summary>Replace mode: COPY into the stage of keys.</summary>
    public string CopyKeysInSql => $"COPY {StageKeysTable} ({KeyList()}) FROM STDIN (FORMAT {CopyFormat})";

    public string TruncateStageKeysSql => $"TRUNCATE {StageKeysTable}";

    /// <summary>Fresh statistics of the delta, so a large batch's joins are planned for its real size.</summary>
    public string AnalyzeDeltaSql => $"ANALYZE {DeltaTable}";

    /// <summary>Fresh statistics of the stage of keys once a large batch's keys are in it.</summary>
    public string AnalyzeStageKeysSql => $"ANALYZE {StageKeysTable}";

    /// <summary>Replace mode: deletes every target row whose key is in the batch.</summary>
    public string DeleteByStageKeysSql => $"DELETE FROM {TargetTable} t USING {StageKeysTable} s WHERE {KeyJoin("t", "s")}";

    /// <summary>Replace mode: the current source rows of the batch's keys (a semi-join: no DISTINCT needed).</summary>
    public string CopyRowsOutSql(long maxSeq, bool probe = false)
    {
        var seq = maxSeq.ToString(CultureInfo.InvariantCulture);
        var columns = string.Join(", ", Columns.Select(c => Cast("s." + c.Quoted, c)));
        return probe
            ? $"COPY (SELECT {columns} FROM ({DeltaKeys(seq)}) {ProbeKeys} CROSS JOIN LATERAL " +
              $"(SELECT {ColumnList()} FROM {SourceTable}{ProbeCondition()}) s) TO STDOUT (FORMAT {CopyFormat})"
            : $"COPY (SELECT {columns} FROM (SELECT {ColumnList()} FROM {SourceTable}{WhereClause}) s WHERE EXISTS " +
              $"(SELECT FROM {DeltaTable} d WHERE d.actorsync_seq <= {seq} AND {KeyJoin("d", "s")})) TO STDOUT (FORMAT {CopyFormat})";
    }

    /// <summary>CREATE TABLE for a missing target (create-target): the copied columns, their types, NOT NULL and the key.</summary>
    public string CreateTargetSql()
    {
        var definitions = new List<string>();
        foreach (var column in Source.Columns)
        {
            var planned = Columns.FirstOrDefault(c => c.Name == column.Name);
            if (planned is not null)
            {
                definitions.Add($"{planned.Quoted} {column.Type}{(column.NotNull ? " NOT NULL" : "")}");
            }
            else if (column.GenerationExpression is { } expression && Sync.Columns is null)
            {
                // The target recomputes generated columns; with a column subset their inputs may be missing.
                definitions.Add($"{column.Quoted} {column.Type} GENERATED ALWAYS AS ({expression}) STORED");
            }
        }

        definitions.Add($"PRIMARY KEY ({KeyList()})");
        return $"CREATE TABLE IF NOT EXISTS {TargetTable} (\n    {string.Join(",\n    ", definitions)}\n)";
    }

    private string Overriding => TargetIdentityAlways ? " OVERRIDING SYSTEM VALUE" : "";

    private string OnConflict => NonKeyColumns.Count == 0
        ? $"ON CONFLICT ({KeyList()}) DO NOTHING"
        : $"ON CONFLICT ({KeyList()}) DO UPDATE SET " +
          string.Join(", ", NonKeyColumns.Select(c => $"{c.Quoted} = EXCLUDED.{c.Quoted}"));

    private string ColumnList() => string.Join(", ", Columns.Select(c => c.Quoted));

    private static string Cast(string value, PlannedColumn column) => column.NeedsCast ? $"{value}::{column.TargetType}" : value;

    private static string Prefix(string? alias) => alias is null ? "" : alias + ".";
}
