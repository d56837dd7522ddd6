using ActorSync.Apply;
using ActorSync.Capture;
using ActorSync.Configuration;
using ActorSync.Postgres;
using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>
/// Drives one sync without actors: plans it from the catalog, installs capture and target objects, and applies batches
/// until the delta is empty. Lets the data path be tested on its own against a real server.
/// </summary>
public sealed class SyncDriver
{
    private SyncDriver(SyncPlan plan, NpgsqlDataSource source, NpgsqlDataSource target)
    {
        Plan = plan;
        Source = source;
        Target = target;
    }

    public SyncPlan Plan { get; private set; }

    public NpgsqlDataSource Source { get; }

    public NpgsqlDataSource Target { get; }

    /// <summary>The sync's dead letters as the last batch counted them, kept across drains as the replicator keeps them.</summary>
    public long DeadLetters { get; private set; }

    public static SyncDefinition Define(
        string name, string source, string target, IReadOnlyList<string>? columns = null, IReadOnlyList<string>? key = null,
        string? where = null, bool createTarget = false, int batchSize = 1000) =>
        SyncDefinition.From(
            new SyncOptions
            {
                Name = name,
                Source = source,
                Target = target,
                Columns = columns?.ToList(),
                Key = key?.ToList(),
                Where = where,
                CreateTarget = createTarget,
                BatchSize = batchSize,
            },
            new SyncDefaultsOptions());

    /// <summary>Plans the sync; returns the problems when it cannot be planned.</summary>
    public static async Task<PlanResult> PlanAsync(SyncDefinition sync, NpgsqlDataSource source, NpgsqlDataSource target)
    {
        await using var sourceConnection = await source.OpenConnectionAsync();
        await using var targetConnection = await target.OpenConnectionAsync();
        var sourceSchema = await SchemaReader.ReadAsync(sourceConnection, sync.Source.Schema, sync.Source.Table, default);
        var targetSchema = await SchemaReader.ReadAsync(targetConnection, sync.Target.Schema, sync.Target.Table, default);
        return SyncPlanner.Plan(sync, sourceSchema, targetSchema);
    }

    /// <summary>Plans and installs; throws with the problems when the sync cannot be planned.</summary>
    public static async Task<SyncDriver> InstallAsync(
        SyncDefinition sync, NpgsqlDataSource source, NpgsqlDataSource target, CaptureMode mode = CaptureMode.Row)
    {
        var result = await PlanAsync(sync, source, target);
        var plan = result.Plan ?? throw new InvalidOperationException(string.Join(Environment.NewLine, result.Problems));
        await using (var targetConnection = await target.OpenConnectionAsync())
        {
            await CaptureInstaller.InstallTargetAsync(targetConnection, plan, default);
        }

        if (plan.Target is null)
        {
            plan = (await PlanAsync(sync, source, target)).Plan!;
        }

        await using (var sourceConnection = await source.OpenConnectionAsync())
        {
            await CaptureInstaller.InstallCaptureAsync(sourceConnection, plan, mode, default);
        }

        return new SyncDriver(plan, source, target);
    }

    /// <summary>
    /// Applies batches until the delta is empty as a sync with <c>on-apply-error = dead-letter</c> does: the fast path
    /// first, isolating the refused keys when the target refuses a row or when the sync has dead letters.
    /// </summary>
    public async Task<List<BatchResult>> DrainDeadLetteringAsync()
    {
        var results = new List<BatchResult>();
        await using var sourceConnection = await Source.OpenConnectionAsync();
        await using var targetConnection = Plan.Sync.SameDatabase ? null : await Target.OpenConnectionAsync();
        var timeout = TimeSpan.FromSeconds(60);
        while (true)
        {
            BatchResult result;
            try
            {
                if (DeadLetters > 0)
                {
                    throw new InvalidOperationException("the sync has dead letters");
                }

                result = targetConnection is null
                    ? await BatchApplier.ApplySameDatabaseAsync(Plan, sourceConnection, Plan.Sync.BatchSize, timeout, default)
                    : await BatchApplier.ApplyAsync(Plan, sourceConnection, targetConnection, Plan.Sync.BatchSize, timeout, default);
            }
            catch (Exception error) when (DeadLetterApplier.IsRefusal(error) || DeadLetters > 0)
            {
                result = await DeadLetterApplier.ApplyAsync(
                    Plan, sourceConnection, targetConnection ?? sourceConnection, Plan.Sync.BatchSize, timeout, default);
            }

            if (result.IsEmpty)
            {
                return results;
            }

            DeadLetters = result.DeadLetters ?? DeadLetters;
            results.Add(result);
        }
    }

    /// <summary>Applies batches until the delta is empty; returns the batches applied.</summary>
    public async Task<List<BatchResult>> DrainAsync()
    {
        var results = new List<BatchResult>();
        await using var sourceConnection = await Source.OpenConnectionAsync();
        await using var targetConnection = Plan.Sync.SameDatabase ? null : await Target.OpenConnectionAsync();
        while (true)
        {
            var result = targetConnection is null
                ? await BatchApplier.ApplySameDatabaseAsync(Plan, sourceConnection, Plan.Sync.BatchSize, TimeSpan.FromSeconds(60), default)
                : await BatchApplier.ApplyAsync(Plan, sourceConnection, targetConnection, Plan.Sync.BatchSize, TimeSpan.FromSeconds(60), default);
            if (result.IsEmpty)
            {
                return results;
            }

            results.Add(result);
        }
    }
}
