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
    public SyncPlan ForWal() => new(Sync, Source, Target, Columns, Keys, BinaryCopy, TargetIdentityAlways) { _deltaTable = WalKeysTable };

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
}
