using ActorSync.Actors;
using ActorSync.Admin;
using ActorSync.Apply;
using Npgsql;

namespace ActorSync.Demo;

/// <summary>One target compared with its source: row counts and whether the ordered hashes agree.</summary>
public sealed record TargetVerdict(string Sync, string Target, long SourceRows, long TargetRows, bool Match);

/// <summary>
/// The demo's proof: once the writer has stopped and every sync has caught up, each target is compared with its source —
/// the synced columns of the rows the sync selects (its <c>where</c>), counted and hashed in key order on both sides.
/// </summary>
public static class DemoVerifier
{
    /// <summary>
    /// True when every sync is idle with nothing pending and every delta table is empty: the writer's changes are all
    /// applied, since a change leaves its delta table only after its batch committed on the target.
    /// </summary>
    public static async Task<bool> IsCaughtUpAsync(
        StatusResponse status, IReadOnlyList<SyncPlan> plans, IReadOnlyDictionary<string, NpgsqlDataSource> databases,
        CancellationToken cancellationToken)
    {
        if (status.Syncs.Count != plans.Count || status.Syncs.Any(s => s.State != SyncStates.Idle || s.PendingRows > 0))
        {
            return false;
        }

        foreach (var plan in plans)
        {
            await using var command = databases[plan.Sync.Source.Database].CreateCommand($"SELECT count(*) FROM {plan.DeltaTable}");
            if ((long)(await command.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Compares every target with its source.</summary>
    public static async Task<IReadOnlyList<TargetVerdict>> CompareAsync(
        IReadOnlyList<SyncPlan> plans, IReadOnlyDictionary<string, NpgsqlDataSource> databases, CancellationToken cancellationToken)
    {
        var verdicts = new List<TargetVerdict>();
        foreach (var plan in plans)
        {
            var where = plan.Sync.Where is { } condition ? $" WHERE ({condition})" : "";
            var (sourceRows, sourceHash) = await FingerprintAsync(databases[plan.Sync.Source.Database], plan, plan.SourceTable, where, cancellationToken);
            var (targetRows, targetHash) = await FingerprintAsync(databases[plan.Sync.Target.Database], plan, plan.TargetTable, "", cancellationToken);
            verdicts.Add(new TargetVerdict(
                plan.Sync.Name, plan.Sync.Target.ToString(), sourceRows, targetRows, sourceRows == targetRows && sourceHash == targetHash));
        }

        return verdicts;
    }

    // Row count plus an md5 over the rows' text forms in key order: equal on both sides means equal contents.
    private static async Task<(long Rows, string Hash)> FingerprintAsync(
        NpgsqlDataSource database, SyncPlan plan, string table, string where, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", plan.Columns.Select(c => c.Quoted));
        var keys = string.Join(", ", plan.Keys.Select(k => k.Quoted));
        await using var command = database.CreateCommand(
            $"SELECT count(*), coalesce(md5(string_agg(md5(ROW({columns})::text), '' ORDER BY {keys})), '') FROM {table}{where}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetString(1));
    }
}
