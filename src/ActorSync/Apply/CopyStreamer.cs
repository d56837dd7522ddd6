using ActorSync.Snapshot;
using ActorSync.Telemetry;
using Npgsql;

namespace ActorSync.Apply;

/// <summary>
/// Streams a COPY ... TO STDOUT on one connection into a COPY ... FROM STDIN on another, chunk by chunk: rows are never
/// decoded and never held whole in memory. Binary format moves raw bytes; text format moves characters.
/// </summary>
public static class CopyStreamer
{
    private const int BufferSize = 1 << 16;

    /// <summary>Streams and returns the number of rows moved; <paramref name="onRows"/> hears about rows as they pass.</summary>
    public static async Task<long> StreamAsync(
        NpgsqlConnection source, string copyOut, NpgsqlConnection target, string copyIn, bool binary, Action<long>? onRows,
        CancellationToken cancellationToken)
    {
        var counter = new CopyRowCounter(binary);
        var reported = 0L;
        void Report()
        {
            if (onRows is not null && counter.Rows != reported)
            {
                onRows(counter.Rows - reported);
                reported = counter.Rows;
            }
        }

        if (binary)
        {
            await using var output = await source.BeginRawBinaryCopyAsync(copyOut, cancellationToken);
            await using var input = await target.BeginRawBinaryCopyAsync(copyIn, cancellationToken);
            var buffer = new byte[BufferSize];
            int filled;
            var bytes = 0L;
            while ((filled = await FillAsync(output, buffer, cancellationToken)) > 0)
            {
                counter.Feed(buffer.AsSpan(0, filled));
                await input.WriteAsync(buffer.AsMemory(0, filled), cancellationToken);
                bytes += filled;
                Report();
            }

            ActorSyncActivities.AddBytes(bytes);
        }
        else
        {
            using var output = await source.BeginTextExportAsync(copyOut, cancellationToken);
            await using var input = await target.BeginTextImportAsync(copyIn, cancellationToken);
            var buffer = new char[BufferSize];
            int read;
            var rows = 0L;
            var chars = 0L;
            while ((read = await output.ReadAsync(buffer.AsMemory(), cancellationToken)) > 0)
            {
                rows += buffer.AsSpan(0, read).Count('\n');
                await input.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                onRows?.Invoke(rows - reported);
                reported = rows;
                chars += read;
            }

            // Characters, not bytes, in text format: the same for the ASCII that most rows are.
            ActorSyncActivities.AddBytes(chars);
            return rows;
        }

        return counter.Rows;
    }

    /// <summary>
    /// Reads until the buffer is full or the COPY ends. The server sends a COPY message per row, and a read returns at
    /// most what is left of one message, so reading once per write would cost a round of calls on both streams per row.
    /// </summary>
    private static async ValueTask<int> FillAsync(Stream output, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await output.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return filled;
    }
}
