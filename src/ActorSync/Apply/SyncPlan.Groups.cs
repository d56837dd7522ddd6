using System.Globalization;

namespace ActorSync.Apply;

// The SQL of a member of a consistent group (issue #19). A group batch takes a set of delta rows that is not always a
// prefix by sequence (whole source transactions, every row of a taken key), so its statements select delta rows by a
// condition on actorsync_seq: "all up to N" or "one of these". Both are formatted integers: COPY takes no parameters.
public sealed partial class SyncPlan
{
    /// <summary>
    /// The sync is a member of a group: its copies never empty the target (upsert, then delete what the source lacks), so a
    /// reader of the group's tables never sees parents without their children (issue #19).
    /// </summary>
    public bool Grouped { get; internal set; }

    /// <summary>The condition for the delta rows up to <paramref name="maxSeq"/>.</summary>
    public static string SeqUpTo(long maxSeq) => $"actorsync_seq <= {maxSeq.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The condition for exactly the delta rows <paramref name="seqs"/> (never empty).</summary>
    public static string SeqIn(IEnumerable<long> seqs) =>
        $"actorsync_seq = ANY ('{{{string.Join(",", seqs.Select(s => s.ToString(CultureInfo.InvariantCulture)))}}}'::bigint[])";

    /// <summary>Count, lowest and highest sequence, oldest capture time and TRUNCATE markers of every visible delta row.</summary>
    public string GroupBoundsSql =>
        $"SELECT count(*), min(actorsync_seq), max(actorsync_seq), min(actorsync_at), count(*) FILTER (WHERE {Keys[0].Quoted} IS NULL) FROM {DeltaTable}";

    /// <summary>The first <c>$1</c> delta rows' sequence numbers.</summary>
    public string GroupFirstSeqsSql => $"SELECT actorsync_seq FROM {DeltaTable} ORDER BY actorsync_seq LIMIT $1";

    /// <summary>The source transactions (as text) of the delta rows <c>$1</c>.</summary>
    public string GroupXidsOfSql =>
        $"SELECT DISTINCT actorsync_xid::text FROM {DeltaTable} WHERE actorsync_seq = ANY ($1) AND actorsync_xid IS NOT NULL";

    /// <summary>The delta rows of the source transactions <c>$1</c> (text).</summary>
    public string GroupSeqsOfXidsSql => $"SELECT actorsync_seq FROM {DeltaTable} WHERE actorsync_xid = ANY ($1::text[]::xid8[])";

    /// <summary>The delta rows that share a key with one of the rows <c>$1</c>.</summary>
    public string GroupSeqsOfSameKeysSql =>
        $"SELECT DISTINCT o.actorsync_seq FROM {DeltaTable} d JOIN {DeltaTable} o ON {KeyJoin("o", "d")} WHERE d.actorsync_seq = ANY ($1)";

    /// <summary>
    /// The delta rows of <paramref name="parent"/> whose key the current source rows of this sync's delta rows <c>$1</c>
    /// reference through <paramref name="link"/> (the parent's transaction must come with its child); null when the
    /// constraint does not reference the parent's sync key.
    /// </summary>
    public string? GroupParentSeqsSql(SyncPlan parent, ForeignKeyLink link)
    {
        if (link.ParentColumns.Count != parent.Keys.Count || !parent.Keys.All(k => link.ParentColumns.Contains(k.Name)) ||
            link.ChildColumns.Any(c => Columns.All(p => p.Name != c)))
        {
            return null;
        }

        var join = string.Join(
            " AND ", link.ParentColumns.Select((p, i) => $"pd.{Sql.Identifier.Quote(p)} = s.{Sql.Identifier.Quote(link.ChildColumns[i])}"));
        return $"SELECT DISTINCT pd.actorsync_seq FROM {DeltaTable} d JOIN {SourceTable} s ON {KeyJoin("s", "d")} " +
               $"JOIN {parent.DeltaTable} pd ON {join} WHERE d.actorsync_seq = ANY ($1)";
    }

    /// <summary>Streams one stage row per distinct key of the delta rows matching <paramref name="deltaCondition"/>.</summary>
    public string GroupCopyOutSql(string deltaCondition) =>
        $"COPY ({StageSelectWhere(deltaCondition, probe: false)}) TO STDOUT (FORMAT {CopyFormat})";

    /// <summary>Same database: fills the stage from the source for the delta rows matching <paramref name="deltaCondition"/>.</summary>
    public string GroupFillStageSql(string deltaCondition) =>
        $"INSERT INTO {StageTable} (actorsync_present, {ColumnList()}) {StageSelectWhere(deltaCondition, probe: false)}";

    /// <summary>The batch's delta rows as (key columns as text, key as JSON, source transaction as text), for dead-letter units.</summary>
    public string GroupDeltaKeysSql(string deltaCondition) =>
        $"SELECT DISTINCT {string.Join(", ", Keys.Select(k => k.Quoted + "::text"))}, {KeyJson("d")}::text, d.actorsync_xid::text " +
        $"FROM {DeltaTable} d WHERE {deltaCondition} AND d.{Keys[0].Quoted} IS NOT NULL";

    /// <summary>
    /// The present stage rows' keys (JSON) and the key (JSON, in the parent's key names) they reference through
    /// <paramref name="link"/>; null when the constraint does not reference the parent's sync key.
    /// </summary>
    public string? GroupStageReferencesSql(SyncPlan parent, ForeignKeyLink link)
    {
        if (link.ParentColumns.Count != parent.Keys.Count || !parent.Keys.All(k => link.ParentColumns.Contains(k.Name)) ||
            link.ChildColumns.Any(c => Columns.All(p => p.Name != c)))
        {
            return null;
        }

        var parentKey = string.Join(
            ", ", parent.Keys.Select(k => $"{Sql.Literal.Quote(k.Name)}, s.{Sql.Identifier.Quote(link.ChildColumns[IndexOf(link.ParentColumns, k.Name)])}"));
        return $"SELECT {KeyJson("s")}::text, jsonb_build_object({parentKey})::text FROM {StageTable} s WHERE s.actorsync_present";
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Deletes the target rows of the key set (<c>$1..</c>, text arrays) whose source row is gone, from the stage.</summary>
    public string GroupStageDeleteForKeysSql =>
        $"DELETE FROM {TargetTable} t USING {StageTable} s, {KeySet} " +
        $"WHERE NOT s.actorsync_present AND {KeyJoin("t", "s")} AND {KeySetJoin("s")}";

    /// <summary>Upserts the stage rows of the key set (<c>$1..</c>, text arrays).</summary>
    public string GroupStageUpsertForKeysSql =>
        $"INSERT INTO {TargetTable} ({ColumnList()}){Overriding} SELECT {string.Join(", ", Columns.Select(c => "s." + c.Quoted))} " +
        $"FROM {StageTable} s JOIN {KeySet} ON {KeySetJoin("s")} WHERE s.actorsync_present {OnConflict}";
}
