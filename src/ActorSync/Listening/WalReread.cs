using System.Globalization;
using NpgsqlTypes;

namespace ActorSync.Listening;

/// <summary>
/// A snapshot of the source in which a sync re-read keys (DESIGN.md, "WAL capture"): their rows on the target are at
/// least as new as this snapshot. A decoded row of one of those keys from a transaction the snapshot saw is older than
/// what the target has, and is skipped; one from a transaction it did not see is newer, and is applied. Every
/// transaction the snapshot saw committed before <see cref="Bound"/>, so once the stream is past it the re-read no
/// longer matters.
/// </summary>
/// <param name="Keys">The re-read keys: only they are as new as the snapshot (after a TRUNCATE the others are merely absent).</param>
/// <param name="Xmin">The snapshot's xmin, as a 32-bit transaction id.</param>
/// <param name="Xmax">The snapshot's xmax, as a 32-bit transaction id.</param>
/// <param name="InProgress">The transactions running when the snapshot was taken (invisible to it).</param>
/// <param name="Bound">A WAL position read after the snapshot was taken.</param>
public sealed record WalReread(WalKeySet Keys, uint Xmin, uint Xmax, IReadOnlySet<uint> InProgress, NpgsqlLogSequenceNumber Bound)
{
    /// <summary>The query that describes the current snapshot and a WAL position after it, for <see cref="Parse"/>.</summary>
    public const string Sql = "SELECT pg_catalog.pg_current_snapshot()::text, " + Position;

    /// <summary>The source's WAL position now (as text).</summary>
    public const string PositionSql = "SELECT " + Position;

    private const string Position =
        "CASE WHEN pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_replay_lsn() ELSE pg_catalog.pg_current_wal_insert_lsn() END::text";

    public bool Covers(string[] key) => Keys.Contains(key);

    /// <summary>
    /// Whether the snapshot saw the transaction <paramref name="xid"/> (committed, as every decoded one is). 32-bit ids
    /// compare modulo 2^32, as the server does: they never lie 2^31 apart while both matter.
    /// </summary>
    public bool Saw(uint xid) =>
        (int)(xid - Xmax) < 0 && ((int)(xid - Xmin) < 0 || !InProgress.Contains(xid));

    /// <summary>Reads <see cref="Sql"/>'s answer: <c>xmin:xmax:xip,...</c> (64-bit ids) and the position.</summary>
    public static WalReread Parse(WalKeySet keys, string snapshot, string lsn)
    {
        var parts = snapshot.Split(':');
        var inProgress = parts[2].Length == 0
            ? new HashSet<uint>()
            : parts[2].Split(',').Select(Low).ToHashSet();
        return new WalReread(keys, Low(parts[0]), Low(parts[1]), inProgress, NpgsqlLogSequenceNumber.Parse(lsn));
    }

    private static uint Low(string xid8) => (uint)(ulong.Parse(xid8, NumberStyles.None, CultureInfo.InvariantCulture) & uint.MaxValue);
}
