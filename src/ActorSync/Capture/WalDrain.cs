using ActorSync.Apply;
using ActorSync.Configuration;
using ActorSync.Listening;
using Npgsql;
using NpgsqlTypes;

namespace ActorSync.Capture;

/// <summary>
/// Switching a database from WAL capture back to triggers (issue #20), done by <c>run</c> before the engine starts:
/// for a trigger database whose slot is still there, the triggers of every sync are installed first (from then on
/// every change is in the deltas), then the slot is streamed up to the WAL written by then and each sync applies its
/// keys as WAL capture would, then the slot and the publication are dropped. Changes made between the triggers'
/// install and the end of the drain are in both: applying them twice is harmless. A failure leaves the slot (and the
/// triggers) in place: the next <c>run</c> drains again.
/// </summary>
public static class WalDrain
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(60);

    /// <summary>Drains and drops the leftover slot of every trigger source database of <paramref name="plans"/>; returns the databases drained.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(
        IReadOnlyDictionary<string, DatabaseOptions> databases, IReadOnlyList<SyncPlan> plans, CancellationToken cancellationToken)
    {
        var drained = new List<string>();
        foreach (var group in plans.Where(p => p.Sync.CaptureMode != CaptureMode.Wal).GroupBy(p => p.Sync.Source.Database))
        {
            var database = group.Key;
            await using var source = new NpgsqlConnection(databases[database].ConnectionString);
            await source.OpenAsync(cancellationToken);
            if (!await WalInstaller.SlotExistsAsync(source, database, cancellationToken))
            {
                continue;
            }

            var syncs = group.Where(p => p.Target is not null).ToArray();
            foreach (var plan in syncs)
            {
                await CaptureInstaller.InstallCaptureAsync(source, plan, plan.Sync.CaptureMode, cancellationToken);
                await using var target = new NpgsqlConnection(databases[plan.Sync.Target.Database].ConnectionString);
                await target.OpenAsync(cancellationToken);
                await CaptureInstaller.InstallTargetStateAsync(target, cancellationToken);
                await CaptureInstaller.InstallTargetAsync(target, plan, cancellationToken);
            }

            NpgsqlLogSequenceNumber end;
            await using (var command = new NpgsqlCommand("SELECT pg_catalog.pg_current_wal_lsn()", source))
            {
                end = (NpgsqlLogSequenceNumber)(await command.ExecuteScalarAsync(cancellationToken))!;
            }

            await StreamAsync(databases, database, syncs, end, cancellationToken);
            await WaitUntilReleasedAsync(source, database, cancellationToken);
            await WalInstaller.UninstallAsync(source, database, cancellationToken);
            drained.Add(database);
        }

        return drained;
    }

    private static async Task WaitUntilReleasedAsync(NpgsqlConnection source, string database, CancellationToken cancellationToken)
    {
        // The server lets go of the slot a moment after the stream's connection closed.
        for (var i = 0; i < 100; i++)
        {
            await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_catalog.pg_replication_slots WHERE slot_name = $1 AND active)", source);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalNames.Slot(database) });
            if (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    private static async Task StreamAsync(
        IReadOnlyDictionary<string, DatabaseOptions> databases, string database, IReadOnlyList<SyncPlan> plans, NpgsqlLogSequenceNumber end,
        CancellationToken cancellationToken)
    {
        var bySync = plans.ToDictionary(p => p.Sync.SqlName, StringComparer.Ordinal);
        var routes = plans.Select(p => new WalRoute(p.Sync.SqlName, p.Sync.Source.Schema, p.Sync.Source.Table, p.Keys.Select(k => k.Name).ToArray()));
        var stream = await WalStream.OpenAsync(databases[database].ConnectionString, database, routes, cancellationToken);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        done.CancelAfter(Quiet);
        var reached = false;
        var run = stream.RunAsync(
            Math.Max(1, plans.Max(p => p.Sync.BatchSize)),
            async chunk =>
            {
                foreach (var (sync, keys) in chunk.Parts)
                {
                    await ApplyAsync(databases, bySync[sync], keys, done.Token);
                }

                if (chunk.ConfirmLsn is { } lsn)
                {
                    await stream.ConfirmAsync(lsn, done.Token);
                    if (lsn >= end)
                    {
                        reached = true;
                        await done.CancelAsync();
                    }
                }
            },
            lsn =>
            {
                if (lsn >= end)
                {
                    reached = true;
                    done.Cancel();
                }
            },
            done.Token);
        try
        {
            await run;
        }
        catch (Exception) when (reached)
        {
            // Cancelled on purpose: everything up to the end was applied.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"database '{database}': the WAL slot left from capture-mode = wal could not be drained within {Quiet.TotalSeconds} s; the next run tries again.");
        }

        // The stream's connection is closed by now: the slot is free to drop.
    }

    private static async Task ApplyAsync(
        IReadOnlyDictionary<string, DatabaseOptions> databases, SyncPlan plan, WalKeySet keys, CancellationToken cancellationToken)
    {
        var walPlan = plan.ForWal();
        await using var source = new NpgsqlConnection(databases[plan.Sync.Source.Database].ConnectionString);
        await source.OpenAsync(cancellationToken);
        await WalBatchApplier.FillAsync(walPlan, source, keys, cancellationToken);
        if (plan.Sync.SameDatabase)
        {
            while (!(await BatchApplier.ApplySameDatabaseAsync(walPlan, source, plan.Sync.BatchSize, plan.Sync.ApplyTimeout, cancellationToken)).IsEmpty)
            {
            }

            return;
        }

        await using var target = new NpgsqlConnection(databases[plan.Sync.Target.Database].ConnectionString);
        await target.OpenAsync(cancellationToken);
        while (!(await BatchApplier.ApplyAsync(walPlan, source, target, plan.Sync.BatchSize, plan.Sync.ApplyTimeout, cancellationToken)).IsEmpty)
        {
        }
    }
}
