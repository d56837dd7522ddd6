using System.Globalization;
using ActorSync.Apply;
using Npgsql;

namespace ActorSync.Snapshot;

/// <summary>
/// Splits a source table into key ranges for a parallel copy: evenly between min and max for a single integer key,
/// from a small random sample's quantiles otherwise. Ranges need not be equal; enough of them keep every worker busy.
/// </summary>
public static class RangePlanner
{
    private const long RowsPerRange = 250_000;
    private const int MaxRanges = 1024;
    private const long SmallTable = 20_000;

    /// <summary>Estimates the rows and plans the ranges.</summary>
    public static async Task<(IReadOnlyList<KeyRange> Ranges, long EstimatedRows)> PlanAsync(
        NpgsqlConnection source, SyncPlan plan, int parallelism, CancellationToken cancellationToken)
    {
        var estimate = await EstimateRowsAsync(source, plan, cancellationToken);
        var count = (int)Math.Clamp(Math.Max(parallelism * 4L, estimate / RowsPerRange), 1, MaxRanges);
        if (estimate < SmallTable || count == 1)
        {
            return ([new KeyRange(0, null, null)], estimate);
        }

        var bounds = plan.Keys.Count == 1 && plan.Keys[0].SourceType is "smallint" or "integer" or "bigint"
            ? await IntegerBoundsAsync(source, plan, count, cancellationToken)
            : await SampledBoundsAsync(source, plan, count, estimate, cancellationToken);
        var ranges = new List<KeyRange>();
        IReadOnlyList<string>? lower = null;
        foreach (var bound in bounds)
        {
            ranges.Add(new KeyRange(ranges.Count, lower, bound));
            lower = bound;
        }

        ranges.Add(new KeyRange(ranges.Count, lower, null));
        return (ranges, estimate);
    }

    private static async Task<long> EstimateRowsAsync(NpgsqlConnection source, SyncPlan plan, CancellationToken cancellationToken)
    {
        await using (var command = new NpgsqlCommand("SELECT reltuples::bigint FROM pg_catalog.pg_class WHERE oid = $1", source))
        {
            command.Parameters.Add(new NpgsqlParameter<uint> { TypedValue = plan.Source.Oid, DataTypeName = "oid" });
            var reltuples = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (reltuples >= 0)
            {
                return reltuples;
            }
        }

        // Never vacuumed or analyzed (reltuples = -1): count, once.
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {plan.SourceTable}", source);
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<List<IReadOnlyList<string>>> IntegerBoundsAsync(
        NpgsqlConnection source, SyncPlan plan, int count, CancellationToken cancellationToken)
    {
        var key = plan.Keys[0].Quoted;
        await using var command = new NpgsqlCommand($"SELECT min({key})::numeric, max({key})::numeric FROM {plan.SourceTable}", source);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.IsDBNull(0))
        {
            return [];
        }

        var min = reader.GetDecimal(0);
        var max = reader.GetDecimal(1);
        var step = Math.Floor((max - min + 1) / count);
        var bounds = new List<IReadOnlyList<string>>();
        for (var i = 1; i < count && step >= 1; i++)
        {
            bounds.Add([(min + (step * i)).ToString("0", CultureInfo.InvariantCulture)]);
        }

        return bounds;
    }

    private static async Task<List<IReadOnlyList<string>>> SampledBoundsAsync(
        NpgsqlConnection source, SyncPlan plan, int count, long estimate, CancellationToken cancellationToken)
    {
        // About a hundred sampled keys per range; TABLESAMPLE SYSTEM reads whole random pages, so it is cheap.
        var percent = Math.Min(100.0, count * 100.0 * 100.0 / Math.Max(1, estimate));
        var keys = string.Join(", ", plan.Keys.Select(k => k.Quoted));
        var sql = $"SELECT {string.Join(", ", plan.Keys.Select(k => k.Quoted + "::text"))} FROM {plan.SourceTable} " +
                  $"TABLESAMPLE SYSTEM ({percent.ToString("0.######", CultureInfo.InvariantCulture)}) ORDER BY {keys}";
        var sample = new List<string[]>();
        await using (var command = new NpgsqlCommand(sql, source))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new string[plan.Keys.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.GetString(i);
                }

                sample.Add(row);
            }
        }

        var bounds = new List<IReadOnlyList<string>>();
        for (var i = 1; i < count && sample.Count > 0; i++)
        {
            var candidate = sample[(int)((long)i * sample.Count / count)];
            if (bounds.Count == 0 || !bounds[^1].SequenceEqual(candidate))
            {
                bounds.Add(candidate);
            }
        }

        return bounds;
    }
}
