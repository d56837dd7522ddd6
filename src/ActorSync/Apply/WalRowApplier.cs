using System.Buffers;
using System.Data;
using System.Globalization;
using System.Text;
using ActorSync.Telemetry;
using Npgsql;

namespace ActorSync.Apply;

/// <summary>
/// WAL capture's direct path (DESIGN.md, "WAL capture"): applies the last decoded row of each key of a chunk to the
/// target in one transaction, reading nothing from the source. Deleted keys are deleted; the other rows are upserted
/// (a large batch of a target that may be written by replacement has its keys deleted and the rows copied in).
/// </summary>
public static class WalRowApplier
{
    /// <summary>
    /// Applies <paramref name="rows"/> (values in the plan's column order) and deletes <paramref name="deleted"/> (keys
    /// in key order, as text).
    /// </summary>
    public static async Task<BatchResult> ApplyAsync(
        SyncPlan plan, NpgsqlConnection target, IReadOnlyList<(string[] Key, string?[] Values)> rows, IReadOnlyList<string[]> deleted,
        DateTimeOffset? oldestCommit, CancellationToken cancellationToken)
    {
        var count = rows.Count + deleted.Count;
        var small = count <= BatchApplier.SmallBatchRows;
        long upserted = 0, removed = 0;
        var write = ActorSyncActivities.StartStep("target write");
        await using var transaction = await target.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

        // The rows' text is in the WAL sender's output styles (WalStream sets them): it is read back in the same ones.
        await BatchApplier.SetTimeoutsAsync(
            target, transaction, plan.Sync.ApplyTimeout, small, OutputStyles, cancellationToken);
        if (deleted.Count > 0)
        {
            removed = await BatchApplier.DeleteKeysAsync(plan, target, transaction, Columns(deleted, plan.Keys.Count), cancellationToken);
        }

        if (rows.Count > 0 && !small && plan.ReplaceRows)
        {
            // As a delta batch in replace mode: the keys' rows out, the new rows in by COPY (nothing to delete when the
            // target has no key in the batch's range: a bulk load of new keys).
            if (KeyRange(plan, rows) is not { } range || await BatchApplier.TargetHasKeyInRangeAsync(plan, target, transaction, range, cancellationToken))
            {
                await BatchApplier.DeleteKeysAsync(plan, target, transaction, Columns(rows.Select(r => r.Key).ToArray(), plan.Keys.Count), cancellationToken);
            }

            upserted = await CopyAsync(plan, target, rows, cancellationToken);
        }
        else if (rows.Count > 0)
        {
            upserted = await UpsertAsync(plan, target, transaction, rows, cancellationToken);
        }

        write?.Dispose();
        using (ActorSyncActivities.StartStep("commit"))
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return new BatchResult(count, upserted, removed, false, oldestCommit);
    }

    private static async Task<long> UpsertAsync(
        SyncPlan plan, NpgsqlConnection target, NpgsqlTransaction transaction, IReadOnlyList<(string[] Key, string?[] Values)> rows,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(plan.UpsertWalRowsSql, target, transaction);
        for (var column = 0; column < plan.Columns.Count; column++)
        {
            var values = new string?[rows.Count];
            for (var row = 0; row < values.Length; row++)
            {
                values[row] = rows[row].Values[column];
            }

            command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = values });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CopyAsync(
        SyncPlan plan, NpgsqlConnection target, IReadOnlyList<(string[] Key, string?[] Values)> rows, CancellationToken cancellationToken)
    {
        // Written in pieces of about 64K characters: one asynchronous write per row cost more than the rows' text.
        const int Piece = 64 * 1024;
        var text = new StringBuilder(Piece + 1024);
        await using (var writer = await target.BeginTextImportAsync(plan.CopyWalRowsInSql, cancellationToken))
        {
            foreach (var (_, values) in rows)
            {
                for (var i = 0; i < values.Length; i++)
                {
                    if (i > 0)
                    {
                        text.Append('\t');
                    }

                    AppendCopyText(text, values[i]);
                }

                text.Append('\n');
                if (text.Length >= Piece)
                {
                    await writer.WriteAsync(text, cancellationToken);
                    text.Clear();
                }
            }

            await writer.WriteAsync(text, cancellationToken);
        }

        return rows.Count;
    }

    private const string OutputStyles = ", set_config('DateStyle', 'ISO, MDY', true), set_config('IntervalStyle', 'postgres', true)";

    private static readonly SearchValues<char> CopyEscaped = SearchValues.Create("\\\t\n\r");

    /// <summary>A value in COPY's text format: NULL as <c>\N</c>; backslash, tab, newline and carriage return escaped.</summary>
    internal static void AppendCopyText(StringBuilder line, string? value)
    {
        if (value is null)
        {
            line.Append("\\N");
            return;
        }

        if (value.AsSpan().IndexOfAny(CopyEscaped) < 0)
        {
            line.Append(value); // most values: nothing to escape, appended whole
            return;
        }

        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => line.Append("\\\\"),
                '\t' => line.Append("\\t"),
                '\n' => line.Append("\\n"),
                '\r' => line.Append("\\r"),
                _ => line.Append(c),
            };
        }
    }

    /// <summary>The keys as one text array per key column.</summary>
    private static string[][] Columns(IReadOnlyList<string[]> keys, int width)
    {
        var columns = new string[width][];
        for (var column = 0; column < width; column++)
        {
            columns[column] = new string[keys.Count];
            for (var row = 0; row < keys.Count; row++)
            {
                columns[column][row] = keys[row][column];
            }
        }

        return columns;
    }

    private static (long Min, long Max)? KeyRange(SyncPlan plan, IReadOnlyList<(string[] Key, string?[] Values)> rows)
    {
        if (!plan.HasIntegerKey)
        {
            return null;
        }

        long min = long.MaxValue, max = long.MinValue;
        foreach (var (key, _) in rows)
        {
            if (!long.TryParse(key[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        return (min, max);
    }
}
