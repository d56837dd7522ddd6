using System.Buffers;
using System.Data;
using System.Globalization;
using ActorSync.Listening;
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
        SyncPlan plan, NpgsqlConnection target, IReadOnlyList<DecodedRow> rows, IReadOnlyList<string[]> deleted,
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
        SyncPlan plan, NpgsqlConnection target, NpgsqlTransaction transaction, IReadOnlyList<DecodedRow> rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(plan.UpsertWalRowsSql, target, transaction);
        for (var column = 0; column < plan.Columns.Count; column++)
        {
            var values = new string?[rows.Count];
            for (var row = 0; row < values.Length; row++)
            {
                values[row] = rows[row].Values.GetString(rows[row].Column(column));
            }

            command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = values });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CopyAsync(
        SyncPlan plan, NpgsqlConnection target, IReadOnlyList<DecodedRow> rows, CancellationToken cancellationToken)
    {
        // The values' UTF-8 text goes to COPY as it came from the stream (the target connection's encoding is UTF-8 too),
        // escaped, in pieces of about 64 KB: no string per value and no re-encoding.
        const int Piece = 64 * 1024;
        var buffer = new CopyBuffer(Piece * 2);
        try
        {
            await using var writer = await target.BeginTextImportAsync(plan.CopyWalRowsInSql, cancellationToken);
            var stream = ((StreamWriter)writer).BaseStream;
            var width = plan.Columns.Count;
            var offsets = new int[64];
            foreach (var row in rows)
            {
                var values = row.Values;
                if (offsets.Length < values.Count)
                {
                    offsets = new int[values.Count];
                }

                values.Offsets(offsets.AsSpan(0, values.Count));
                for (var i = 0; i < width; i++)
                {
                    if (i > 0)
                    {
                        buffer.Append((byte)'\t');
                    }

                    var column = row.Column(i);
                    if (values.IsNull(column))
                    {
                        buffer.Append("\\N"u8);
                    }
                    else
                    {
                        AppendCopyText(buffer, values.Text(column, offsets[column]).Span);
                    }
                }

                buffer.Append((byte)'\n');
                if (buffer.Length >= Piece)
                {
                    await stream.WriteAsync(buffer.Written, cancellationToken);
                    buffer.Clear();
                }
            }

            await stream.WriteAsync(buffer.Written, cancellationToken);
        }
        finally
        {
            buffer.Dispose();
        }

        return rows.Count;
    }

    private const string OutputStyles = ", set_config('DateStyle', 'ISO, MDY', true), set_config('IntervalStyle', 'postgres', true)";

    private static readonly SearchValues<byte> CopyEscaped = SearchValues.Create("\\\t\n\r"u8);

    /// <summary>
    /// A value's UTF-8 text in COPY's text format: backslash, tab, newline and carriage return escaped (no byte of a
    /// multi-byte UTF-8 sequence is one of them, so escaping bytes is escaping characters).
    /// </summary>
    internal static void AppendCopyText(CopyBuffer line, ReadOnlySpan<byte> value)
    {
        while (true)
        {
            var special = value.IndexOfAny(CopyEscaped);
            if (special < 0)
            {
                line.Append(value); // most values: nothing to escape, appended whole
                return;
            }

            line.Append(value[..special]);
            line.Append(value[special] switch
            {
                (byte)'\\' => "\\\\"u8,
                (byte)'\t' => "\\t"u8,
                (byte)'\n' => "\\n"u8,
                _ => "\\r"u8,
            });
            value = value[(special + 1)..];
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

    private static (long Min, long Max)? KeyRange(SyncPlan plan, IReadOnlyList<DecodedRow> rows)
    {
        if (!plan.HasIntegerKey)
        {
            return null;
        }

        long min = long.MaxValue, max = long.MinValue;
        foreach (var row in rows)
        {
            if (!long.TryParse(row.Key[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        return (min, max);
    }
}

/// <summary>
/// A decoded row to upsert: its key, its values, and where each of the plan's columns is among them (null: in the
/// plan's order already).
/// </summary>
public readonly record struct DecodedRow(string[] Key, WalValues Values, int[]? Order)
{
    /// <summary>The index among <see cref="Values"/> of the plan's column <paramref name="column"/>.</summary>
    public int Column(int column) => Order is null ? column : Order[column];
}

/// <summary>A growable byte buffer rented from the shared pool, for COPY text written in pieces.</summary>
internal sealed class CopyBuffer(int capacity) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(capacity);

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public void Append(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
    }

    public void Clear() => Length = 0;

    public override string ToString() => System.Text.Encoding.UTF8.GetString(_buffer, 0, Length);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Ensure(int more)
    {
        if (Length + more <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + more));
        _buffer.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
