using System.Diagnostics;
using ActorSync.Apply;
using ActorSync.Capture;
using ActorSync.Logging;
using ActorSync.Pools;
using ActorSync.Snapshot;
using ActorSync.State;
using Npgsql;

namespace ActorSync.Actors;

// The database work of a replicator: each method runs as a task whose result is piped back to the actor.
public sealed partial class TableReplicatorActor
{
    private async Task<Prepared> PrepareAsync(CancellationToken cancellationToken)
    {
        await using var target = await _leaser.LeaseAsync(_sync.Target.Database, ConnectionRole.Write, cancellationToken);
        await using var source = _sync.SameDatabase
            ? null
            : await _leaser.LeaseAsync(_sync.Source.Database, ConnectionRole.Write, cancellationToken);
        var sourceConnection = source?.Connection ?? target.Connection;

        var plan = await PlanAsync(sourceConnection, target.Connection, cancellationToken);
        await CaptureInstaller.InstallTargetAsync(target.Connection, plan, cancellationToken);
        if (plan.Target is null)
        {
            LogMessages.TargetCreated(_logger, _sync.Name, _sync.Target.ToString());
            plan = await PlanAsync(sourceConnection, target.Connection, cancellationToken);
        }

        await CaptureInstaller.InstallCaptureAsync(sourceConnection, plan, _settings.CaptureMode, cancellationToken);
        LogMessages.CaptureInstalled(_logger, _sync.Name, _sync.Source.ToString(), _settings.CaptureMode.ToString().ToLowerInvariant());
        var state = await SyncStateStore.ReadAsync(target.Connection, _sync.SqlName, cancellationToken);
        var needsSnapshot = state is null || state.ConfigFingerprint != plan.Fingerprint || state.SnapshotStatus != SnapshotStatus.Done;
        return new Prepared(plan, state?.Paused ?? false, needsSnapshot);
    }

    private async Task<SyncPlan> PlanAsync(NpgsqlConnection source, NpgsqlConnection target, CancellationToken cancellationToken)
    {
        var result = await SyncInspector.InspectAsync(_sync, source, target, cancellationToken);
        return result.Plan ?? throw new SyncConfigurationException(_sync.Name, result.Problems);
    }

    private async Task<SnapshotDone> SnapshotAsync(SyncPlan plan, SnapshotProgress progress, bool force, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var outcome = await SnapshotRunner.RunAsync(
            plan, _leaser, progress, force, cancellationToken,
            resumed => LogMessages.SnapshotStarted(
                _logger, _sync.Name, resumed ? $"resumed ({progress.RangesDone} of {progress.RangesTotal} ranges already copied)" : force ? "started (resync)" : "started",
                progress.RowsEstimated));
        return new SnapshotDone(outcome, clock.Elapsed);
    }

    private async Task<BatchResult> ApplyBatchAsync(SyncPlan plan, int batchSize, CancellationToken cancellationToken)
    {
        if (_sync.SameDatabase)
        {
            await using var lease = await _leaser.LeaseAsync(_sync.Source.Database, ConnectionRole.Write, cancellationToken);
            return await BatchApplier.ApplySameDatabaseAsync(plan, lease.Connection, batchSize, _sync.ApplyTimeout, cancellationToken);
        }

        await using var source = await _leaser.LeaseAsync(_sync.Source.Database, ConnectionRole.Read, cancellationToken);
        await using var target = await _leaser.LeaseAsync(_sync.Target.Database, ConnectionRole.Write, cancellationToken);
        return await BatchApplier.ApplyAsync(plan, source.Connection, target.Connection, batchSize, _sync.ApplyTimeout, cancellationToken);
    }

    private async Task<bool> HasPendingAsync(SyncPlan plan, CancellationToken cancellationToken)
    {
        await using var source = await _leaser.LeaseAsync(_sync.Source.Database, ConnectionRole.Read, cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT FROM {plan.DeltaTable})", source.Connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private void RefreshPending()
    {
        if (_plan is not { } plan || _refreshingPending || _state is SyncStates.Idle)
        {
            return;
        }

        _refreshingPending = true;
        PendingAsync(plan, _stopping.Token).PipeTo(
            Self, success: p => new PendingRefreshed(p.Count, p.Oldest), failure: _ => new PendingRefreshed(_pending.Count, _pending.Oldest));
    }

    private async Task<(long Count, DateTimeOffset? Oldest)> PendingAsync(SyncPlan plan, CancellationToken cancellationToken)
    {
        await using var source = await _leaser.LeaseAsync(_sync.Source.Database, ConnectionRole.Read, cancellationToken);
        return await BatchApplier.PendingAsync(plan, source.Connection, cancellationToken);
    }
}
