using Npgsql;

namespace ActorSync.Capture;

/// <summary>
/// How much WAL a replication slot keeps on its server (issue #20): <c>pg_current_wal_lsn() - restart_lsn</c>, the
/// bytes the server may not recycle until the slot's consumer confirms them. While ActorSync is stopped this grows
/// without bound unless <c>max_slot_wal_keep_size</c> caps it (then the slot is invalidated instead: <c>lost</c>).
/// </summary>
public static class SlotMonitor
{
    // pg_wal_lsn_diff returns numeric; a slot's retention fits a bigint many times over. wal_status (PostgreSQL 13+)
    // says whether the retained WAL is still all there (reserved, extended), about to go (unreserved) or gone (lost).
    private const string RetentionSql = """
        SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint, wal_status
        FROM pg_replication_slots WHERE slot_name = $1
        """;

    /// <summary>One reading: whether the slot exists, the bytes it retains (null when it has no restart position,
    /// e.g. once lost), and its <c>wal_status</c>.</summary>
    public sealed record Retention(bool Exists, long? RetainedBytes, string? WalStatus);

    /// <summary>Reads <paramref name="slot"/>'s retention on the server of <paramref name="connection"/>.</summary>
    public static async Task<Retention> ReadAsync(NpgsqlConnection connection, string slot, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(RetentionSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = slot });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new Retention(false, null, null);
        }

        return new Retention(true, reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    /// <summary>Bytes as people read them: 512 B, 3.4 MB, 1.2 GB (powers of 1000, as <c>slot-retention-warning</c> sizes are).</summary>
    public static string Describe(long bytes) => bytes switch
    {
        < 1000 => FormattableString.Invariant($"{bytes} B"),
        < 1_000_000 => FormattableString.Invariant($"{bytes / 1e3:0.#} kB"),
        < 1_000_000_000 => FormattableString.Invariant($"{bytes / 1e6:0.#} MB"),
        _ => FormattableString.Invariant($"{bytes / 1e9:0.##} GB"),
    };
}
