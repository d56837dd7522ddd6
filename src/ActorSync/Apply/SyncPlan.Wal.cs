using System.Globalization;
using ActorSync.Capture;
using ActorSync.Sql;

namespace ActorSync.Apply;

// WAL capture (issue #20): the keys decoded from the stream are put in a temporary table of the source session with the
// delta's shape (sequence, time, key columns; a row of NULL keys marks a TRUNCATE), and the delta path applies them as
// it applies a delta: current rows read by key in one source snapshot, one target transaction per batch.
public sealed partial class SyncPlan
{
    private string? _deltaTable;

    /// <summary>The same plan reading its changes from the session's table of decoded keys (<see cref="WalKeysTable"/>).</summary>
    public SyncPlan ForWal() => new(Sync, Source, Target, Columns, Keys, BinaryCopy, TargetIdentityAlways) { _deltaTable = WalKeysTable, Grouped = Grouped };

    /// <summary>
    /// The temporary table of decoded keys in the source session: named by a hash of the sync and its key's types, so a
    /// pooled connection that served another sync, or this one before its key changed, never mixes them up.
    /// </summary>
    public string WalKeysTable
    {
        get
        {
            var hash = CaptureScript.LockKey(Sync.SqlName + "\n" + string.Join(",", Keys.Select(k => k.Name + " " + k.SourceType)));
            return Identifier.Quote("pg_temp", "actorsync_wal_" + ((uint)hash).ToString("x8", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Creates the table of decoded keys when the session lacks it.</summary>
    public string CreateWalKeysTableSql =>
        $"CREATE TEMP TABLE IF NOT EXISTS {WalKeysTable} (actorsync_seq bigint PRIMARY KEY, actorsync_at timestamptz NOT NULL, " +
        $"{string.Join(", ", Keys.Select(k => $"{k.Quoted} {k.SourceType}"))})";

    /// <summary>A TRUNCATE marker at sequence 0 (before every key), captured at <c>$1</c>.</summary>
    public string InsertWalTruncateSql => $"INSERT INTO {WalKeysTable} (actorsync_seq, actorsync_at) VALUES (0, $1)";

    /// <summary>The keys as text arrays, one parameter per key column from <c>$3</c>, cast to the source's types; <c>$1</c> is the time, <c>$2</c> the first sequence.</summary>
    public string InsertWalKeysSql =>
        $"INSERT INTO {WalKeysTable} (actorsync_seq, actorsync_at, {KeyList()}) " +
        $"SELECT $2 + u.n, $1, {string.Join(", ", Keys.Select((k, i) => $"u.c{i}::{k.SourceType}"))} " +
        $"FROM unnest({string.Join(", ", Keys.Select((_, i) => $"${i + 3}::text[]"))}) WITH ORDINALITY AS u({string.Join(", ", Keys.Select((_, i) => $"c{i}"))}, n)";

    /// <summary>
    /// Decoded rows may be applied as they are (no source read): the sync has no <c>where</c> (whether a row belongs
    /// is the source's to say), its database has not chosen <c>wal-apply = reread</c>, is not in a group (a group reads its members in one source snapshot), and every copied
    /// column has the same type on both sides (a row's text is the source type's; it is read back as the target's) and
    /// none is formatted by a locale setting.
    /// </summary>
    public bool AppliesWalRows =>
        Sync.AppliesDecodedRows && Sync.Where is null && !Grouped && Columns.All(c => !c.NeedsCast && !LocaleFormatted(c.SourceType));

    // money's text follows the session's lc_monetary, which the source and the target may not share: such a row is re-read.
    private static bool LocaleFormatted(string type) => type is "money" or "money[]";

    /// <summary>
    /// Where each copied column is among a decoded row's <paramref name="columns"/>, or null when one is missing (a
    /// generated column is not published): then the row cannot be applied as it is.
    /// </summary>
    public int[]? WalRowIndexes(string[] columns)
    {
        var indexes = new int[Columns.Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            indexes[i] = Array.IndexOf(columns, Columns[i].Name);
            if (indexes[i] < 0)
            {
                return null;
            }
        }

        return indexes;
    }

    /// <summary>
    /// Upserts decoded rows given as text arrays, one parameter per copied column (<c>$1</c> on, in column order),
    /// each read as the target's type.
    /// </summary>
    public string UpsertWalRowsSql =>
        $"INSERT INTO {TargetTable} ({ColumnList()}){Overriding} " +
        $"SELECT {string.Join(", ", Columns.Select((c, i) => $"u.c{i}::{c.TargetType}"))} " +
        $"FROM unnest({string.Join(", ", Columns.Select((_, i) => $"${i + 1}::text[]"))}) AS u({string.Join(", ", Columns.Select((_, i) => $"c{i}"))}) " +
        OnConflict;

    /// <summary>COPY of decoded rows (text format) straight into the target, whose rows of those keys are deleted first.</summary>
    public string CopyWalRowsInSql => $"COPY {TargetTable} ({ColumnList()}) FROM STDIN (FORMAT text)";
}
