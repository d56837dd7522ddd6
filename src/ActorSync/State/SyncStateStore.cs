using Npgsql;

namespace ActorSync.State;

/// <summary>
/// A sync's persistent state in its target database (<c>actorsync.sync_state</c>, <c>actorsync.snapshot_ranges</c>):
/// whether the snapshot is done, the configuration it was made for, and which key ranges are copied. Kept beside the
/// data so a range's rows and its checkpoint commit in one transaction.
/// </summary>
public static class SyncStateStore
{
    /// <summary>Reads the sync's state, or null when it has never run against this target.</summary>
    public static async Task<SyncState?> ReadAsync(NpgsqlConnection target, string sync, CancellationToken cancellationToken)
    {
        // Read as JSON, so a state table written by an older or newer version (fewer or more columns) still reads.
        await using var command = new NpgsqlCommand("SELECT row_to_json(s)::text FROM actorsync.sync_state s WHERE sync_name = $1", target);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sync });
        if (await command.ExecuteScalarAsync(cancellationToken) is not string json)
        {
            return null;
        }

        using var document = System.Text.Json.JsonDocument.Parse(json);
        var row = document.RootElement;
        string? Text(string name) => row.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;
        return new SyncState(
            Text("config_fingerprint") ?? "",
            ParseStatus(Text("snapshot_status") ?? "pending"),
            row.TryGetProperty("paused", out var paused) && paused.ValueKind == System.Text.Json.JsonValueKind.True,
            row.TryGetProperty("rows_estimated", out var estimated) && estimated.ValueKind == System.Text.Json.JsonValueKind.Number ? estimated.GetInt64() : null,
            row.TryGetProperty("source_columns", out var columns) && columns.ValueKind == System.Text.Json.JsonValueKind.Array
                ? columns.EnumerateArray().Select(c => c.GetString()!).ToArray()
                : null);
    }

    /// <summary>
    /// Starts a fresh snapshot: records the configuration fingerprint, forgets the ranges of any earlier attempt and
    /// sets the status to <c>pending</c>.
    /// </summary>
    public static async Task BeginSnapshotAsync(
        NpgsqlConnection target, string sync, string sourceTable, string targetTable, string fingerprint, IReadOnlyList<string> sourceColumns,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(target)
        {
            BatchCommands =
            {
                BatchCommand(
                    """
                    INSERT INTO actorsync.sync_state (sync_name, source_table, target_table, config_fingerprint, snapshot_status, source_columns)
                    VALUES ($1, $2, $3, $4, 'pending', $5)
                    ON CONFLICT (sync_name) DO UPDATE
                    SET source_table = EXCLUDED.source_table, target_table = EXCLUDED.target_table,
                        config_fingerprint = EXCLUDED.config_fingerprint, snapshot_status = 'pending', source_columns = EXCLUDED.source_columns,
                        snapshot_started_at = NULL, snapshot_done_at = NULL, rows_estimated = NULL, updated_at = now()
                    """,
                    sync, sourceTable, targetTable, fingerprint, sourceColumns.ToArray()),
                BatchCommand("DELETE FROM actorsync.snapshot_ranges WHERE sync_name = $1", sync),
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records the planned ranges and marks the snapshot as copying, in the caller's transaction.</summary>
    public static async Task SaveRangesAsync(
        NpgsqlConnection target, NpgsqlTransaction transaction, string sync, IReadOnlyList<Snapshot.KeyRange> ranges, long estimatedRows,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(target, transaction);
        batch.BatchCommands.Add(BatchCommand(
            "UPDATE actorsync.sync_state SET snapshot_status = 'copying', snapshot_started_at = now(), rows_estimated = $2, updated_at = now() " +
            "WHERE sync_name = $1", sync, estimatedRows));
        foreach (var range in ranges)
        {
            batch.BatchCommands.Add(BatchCommand(
                "INSERT INTO actorsync.snapshot_ranges (sync_name, range_no, lower_bound, upper_bound) VALUES ($1, $2, $3, $4)",
                sync, range.Number, range.LowerText, range.UpperText));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The ranges of the current snapshot that are not copied yet (with their rows copied so far, zero).</summary>
    public static async Task<(List<Snapshot.KeyRange> Pending, long RowsDone)> ReadRangesAsync(
        NpgsqlConnection target, string sync, CancellationToken cancellationToken)
    {
        var pending = new List<Snapshot.KeyRange>();
        long done = 0;
        await using var command = new NpgsqlCommand(
            "SELECT range_no, lower_bound, upper_bound, done_at IS NOT NULL, coalesce(rows_copied, 0) " +
            "FROM actorsync.snapshot_ranges WHERE sync_name = $1 ORDER BY range_no", target);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sync });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetBoolean(3))
            {
                done += reader.GetInt64(4);
            }
            else
            {
                pending.Add(Snapshot.KeyRange.FromText(
                    reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }

        return (pending, done);
    }

    /// <summary>Marks one range copied, in the transaction that copied it.</summary>
    public static async Task CompleteRangeAsync(
        NpgsqlConnection target, NpgsqlTransaction transaction, string sync, int rangeNumber, long rows, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "UPDATE actorsync.snapshot_ranges SET rows_copied = $3, done_at = now() WHERE sync_name = $1 AND range_no = $2",
            sync, rangeNumber, rows);
        await Bind(command, target, transaction).ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks the snapshot done, in the caller's transaction.</summary>
    public static async Task CompleteSnapshotAsync(
        NpgsqlConnection target, NpgsqlTransaction transaction, string sync, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "UPDATE actorsync.sync_state SET snapshot_status = 'done', snapshot_done_at = now(), updated_at = now() WHERE sync_name = $1",
            sync);
        await Bind(command, target, transaction).ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Accepts the source's current columns and the plan made for them, without copying again (a schema change handled
    /// by adding columns, or the first time a sync records its columns).
    /// </summary>
    public static async Task AcceptSchemaAsync(
        NpgsqlConnection target, string sync, string fingerprint, IReadOnlyList<string> sourceColumns, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "UPDATE actorsync.sync_state SET config_fingerprint = $2, source_columns = $3, updated_at = now() WHERE sync_name = $1",
            sync, fingerprint, sourceColumns.ToArray());
        await Bind(command, target, null).ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Persists the paused flag, so a paused sync stays paused across restarts.</summary>
    public static async Task SetPausedAsync(NpgsqlConnection target, string sync, bool paused, CancellationToken cancellationToken)
    {
        await using var command = Command(
            "UPDATE actorsync.sync_state SET paused = $2, updated_at = now() WHERE sync_name = $1", sync, paused);
        await Bind(command, target, null).ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlCommand Bind(NpgsqlCommand command, NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        command.Connection = connection;
        command.Transaction = transaction;
        return command;
    }

    private static NpgsqlCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static SnapshotStatus ParseStatus(string status) => status switch
    {
        "pending" => SnapshotStatus.Pending,
        "copying" => SnapshotStatus.Copying,
        "done" => SnapshotStatus.Done,
        _ => throw new InvalidOperationException($"Unknown snapshot status '{status}' in actorsync.sync_state."),
    };
}

/// <summary>A sync's persistent state.</summary>
public sealed record SyncState(
    string ConfigFingerprint, SnapshotStatus SnapshotStatus, bool Paused, long? RowsEstimated, IReadOnlyList<string>? SourceColumns);

/// <summary>Where a sync's snapshot stands.</summary>
public enum SnapshotStatus
{
    /// <summary>Not started, or restarting from scratch.</summary>
    Pending,

    /// <summary>Ranges planned and being copied; a restart resumes with the ranges not done.</summary>
    Copying,

    /// <summary>Copied; the sync streams its delta.</summary>
    Done,
}
