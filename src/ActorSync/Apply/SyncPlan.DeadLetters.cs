using ActorSync.Sql;

namespace ActorSync.Apply;

// The SQL of on-apply-error = dead-letter (issue #19): a batch staged in a scratch table of its transaction, applied
// key set by key set so that the keys the target refuses can be isolated.
public sealed partial class SyncPlan
{
    private const string Isolate = "actorsync_isolate";

    /// <summary>The batch's scratch table, one row per distinct key as in the stage; dropped at commit.</summary>
    public string IsolateStageDdl =>
        $"CREATE TEMP TABLE {Isolate} (actorsync_present boolean NOT NULL, " +
        $"{string.Join(", ", Columns.Select(c => $"{c.Quoted} {c.TargetType}"))}) ON COMMIT DROP";

    /// <summary>COPY of <see cref="CopyOutSql"/> into the scratch table.</summary>
    public string IsolateCopyInSql =>
        $"COPY {Isolate} (actorsync_present, {ColumnList()}) FROM STDIN (FORMAT {CopyFormat})";

    /// <summary>Same database: fills the scratch table straight from the source, for the batch up to <paramref name="maxSeq"/>.</summary>
    public string IsolateFillSql(long maxSeq) =>
        $"INSERT INTO {Isolate} (actorsync_present, {ColumnList()}) {StageSelectSql(maxSeq, probe: false)}";

    /// <summary>The scratch table's keys: each key column as text, then the key as JSON (column name to value).</summary>
    public string IsolateKeysSql =>
        $"SELECT {string.Join(", ", Keys.Select(k => k.Quoted + "::text"))}, {KeyJson("s")}::text FROM {Isolate} s ORDER BY {KeyList("s")}";

    /// <summary>The key of a row of <paramref name="alias"/> as JSON, as <c>actorsync.dead_letters</c> records it.</summary>
    private string KeyJson(string alias) =>
        $"jsonb_build_object({string.Join(", ", Keys.Select(k => $"{Literal.Quote(k.Name)}, {alias}.{k.Quoted}"))})";

    // The keys of one key set come as text arrays, one parameter per key column, cast back to the target's types.
    private string KeySet =>
        $"unnest({string.Join(", ", Keys.Select((_, i) => $"${i + 1}::text[]"))}) AS k({string.Join(", ", Keys.Select((_, i) => $"c{i}"))})";

    private string KeySetJoin(string alias) =>
        string.Join(" AND ", Keys.Select((k, i) => $"{alias}.{k.Quoted} = k.c{i}::{k.TargetType}"));

    /// <summary>Deletes the target rows of the key set whose source row is gone.</summary>
    public string IsolateDeleteSql =>
        $"DELETE FROM {TargetTable} t USING {Isolate} s, {KeySet} " +
        $"WHERE NOT s.actorsync_present AND {KeyJoin("t", "s")} AND {KeySetJoin("s")}";

    /// <summary>Upserts the source rows of the key set.</summary>
    public string IsolateUpsertSql =>
        $"INSERT INTO {TargetTable} ({ColumnList()}){Overriding} SELECT {string.Join(", ", Columns.Select(c => "s." + c.Quoted))} " +
        $"FROM {Isolate} s JOIN {KeySet} ON {KeySetJoin("s")} WHERE s.actorsync_present {OnConflict}";

    /// <summary>Re-queues dead-lettered keys (<c>$1</c>, JSON) as changes in the source's delta, so the replicator tries them again.</summary>
    public string RequeueDeadLettersSql =>
        $"INSERT INTO {DeltaTable} ({KeyList()}) SELECT {KeyList("r")} " +
        $"FROM unnest($1::jsonb[]) AS j(key), jsonb_populate_record(NULL::{DeltaTable}, j.key) AS r WHERE r.{Keys[0].Quoted} IS NOT NULL";
}
