using System.Diagnostics;
using ActorSync.Apply;
using ActorSync.Capture;
using ActorSync.Configuration;
using ActorSync.Logging;
using ActorSync.Pools;
using ActorSync.Postgres;
using ActorSync.Snapshot;
using ActorSync.State;
using ActorSync.Telemetry;
using Akka.Actor;
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

        await CaptureInstaller.InstallTargetStateAsync(target.Connection, cancellationToken);
        var state = await SyncStateStore.ReadAsync(target.Connection, _sync.SqlName, cancellationToken);
        var copyAgain = await FollowSchemaChangesAsync(sourceConnection, target.Connection, state, cancellationToken);

        var group = await FindGroupAsync(cancellationToken);
        var plan = await PlanAsync(sourceConnection, target.Connection, cancellationToken);
        plan.Grouped = group?.Group is not null;
        await CaptureInstaller.InstallTargetAsync(target.Connection, plan, cancellationToken);
        if (plan.Target is null)
        {
            LogMessages.TargetCreated(_logger, _sync.Name, _sync.Target.ToString());
            plan = await PlanAsync(sourceConnection, target.Connection, cancellationToken);
            plan.Grouped = group?.Group is not null;
        }

        if (!IsWal)
        {
            await CaptureInstaller.InstallCaptureAsync(sourceConnection, plan, _sync.CaptureMode, cancellationToken);
            LogMessages.CaptureInstalled(_logger, _sync.Name, _sync.Source.ToString(), _sync.CaptureMode.ToString().ToLowerInvariant());
        }

        var needsSnapshot = copyAgain || _health.ResyncRequested || state is null || state.SnapshotStatus != SnapshotStatus.Done;
        if (!needsSnapshot && (state!.SourceColumns is null || state.ConfigFingerprint != plan.Fingerprint) && !copyAgain &&
            (state.SourceColumns is null || !SchemaChange.Between(state.SourceColumns, plan.Source).IsEmpty))
        {
            // The columns changed and were followed without copying again: the target is equal for the new plan too.
            await SyncStateStore.AcceptSchemaAsync(target.Connection, _sync.SqlName, plan.Fingerprint, SchemaChange.Describe(plan.Source), cancellationToken);
        }
        else if (!needsSnapshot && state!.ConfigFingerprint != plan.Fingerprint)
        {
            needsSnapshot = true; // the configuration changed (key, columns, where, tables): copy again
        }

        NpgsqlTypes.NpgsqlLogSequenceNumber? walRowsFrom = null;
        if (IsWal)
        {
            // The slot exists before any copy takes its snapshot (issue #20).
            walRowsFrom = await PrepareWalCaptureAsync(sourceConnection, plan, needsSnapshot, cancellationToken);
        }

        var deadLetters = await DeadLetterStore.CountAsync(target.Connection, null, _sync.SqlName, cancellationToken);
        return new Prepared(plan, state?.Paused ?? false, needsSnapshot, deadLetters, group, walRowsFrom);
    }

    /// <summary>
    /// Compares the source's columns with those the sync was planned for (issue 6). With <c>on-schema-change = fail</c>
    /// any change stops the sync with what changed and how to go on; with <c>add-columns</c> new columns are added to the
    /// target. Returns true when the table must be copied again: a new column with a default has values in existing
    /// rows that the target cannot know otherwise.
    /// </summary>
    private async Task<bool> FollowSchemaChangesAsync(
        NpgsqlConnection source, NpgsqlConnection target, SyncState? state, CancellationToken cancellationToken)
    {
        if (state?.SourceColumns is not { } stored || _health.ResyncRequested)
        {
            return false;
        }

        var current = await SchemaReader.ReadAsync(source, _sync.Source.Schema, _sync.Source.Table, cancellationToken);
        if (current is null)
        {
            return false; // planning reports the missing table
        }

        var change = SchemaChange.Between(stored, current);
        if (change.IsEmpty)
        {
            return false;
        }

        if (_sync.OnSchemaChange == OnSchemaChange.Fail || change.Retyped.Count > 0)
        {
            throw new SchemaChangedException(
                $"source {_sync.Source} changed: {change}. The sync stopped so that the target does not silently diverge. " +
                (change.Retyped.Count > 0
                    ? $"ActorSync does not change column types: change the type in target {_sync.Target} to match, then run `actorsync resync {_sync.Name}`."
                    : $"To go on, run `actorsync resync {_sync.Name}` (or POST /syncs/{_sync.Name}/resync) to copy the table again " +
                      $"after giving target {_sync.Target} any new column, or set on-schema-change = add-columns to have new columns added to the target."));
        }

        var copyAgain = false;
        var targetSchema = await SchemaReader.ReadAsync(target, _sync.Target.Schema, _sync.Target.Table, cancellationToken);
        foreach (var column in change.Added.Where(c => !c.Generated && (_sync.Columns is null || _sync.Columns.Contains(c.Name))))
        {
            if (targetSchema?.Find(column.Name) is null)
            {
                await using var alter = new NpgsqlCommand(
                    $"ALTER TABLE {_sync.Target.QuotedName} ADD COLUMN {column.Quoted} {column.Type}", target);
                await alter.ExecuteNonQueryAsync(cancellationToken);
            }

            copyAgain |= column.HasDefault;
        }

        LogMessages.SchemaChanged(
            _logger, _sync.Name,
            $"source {_sync.Source} changed: {change}; added the new column(s) to target {_sync.Target}" +
            (copyAgain ? " and copying the table again (a new column has a default, so existing rows have values)" : "") +
            (change.Dropped.Count > 0 ? "; dropped columns stay in the target and are no longer updated" : ""));
        return copyAgain;
    }

    private async Task<SyncPlan> PlanAsync(NpgsqlConnection source, NpgsqlConnection target, CancellationToken cancellationToken)
    {
        var result = await SyncInspector.InspectAsync(_sync, source, target, cancellationToken);
        return result.Plan ?? throw new SyncConfigurationException(_sync.Name, result.Problems);
    }

    private async Task<SnapshotDone> SnapshotAsync(SyncPlan plan, SnapshotProgress progress, bool force, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var self = Self;
        var outcome = await SnapshotRunner.RunAsync(
            plan, _leaser, progress, force, cancellationToken,
            resumed =>
            {
                // From here the copy is recorded in the target: a retry resumes it instead of starting over.
                self.Tell(SnapshotUnderway.Instance);
                LogMessages.SnapshotStarted(
                    _logger, _sync.Name, resumed ? $"resumed ({progress.RangesDone} of {progress.RangesTotal} ranges already copied)" : force ? "started (resync)" : "started",
                    progress.RowsEstimated,
                    progress.DeferredIndexes.Count == 0
                        ? ""
                        : $"; the target's indexes {string.Join(", ", progress.DeferredIndexes.Select(i => "\"" + i + "\""))} are built after the copy");
            });
        return new SnapshotDone(outcome, clock.Elapsed, IsWal ? await WalPositionAsync(cancellationToken) : null);
    }

    private static async Task<BatchResult> ApplyBatchAsync(
        SyncPlan plan, HeldConnections held, int batchSize, bool hasDeadLetters, CancellationToken cancellationToken)
    {
        // The batch's span (issue 21); null, and nothing more is done, when no trace exporter is configured.
        using var span = ActorSyncActivities.StartBatch(plan.Sync.Name);
        try
        {
            var result = await ApplyBatchUntracedAsync(plan, held, batchSize, hasDeadLetters, cancellationToken);
            ActorSyncActivities.BatchDone(span, result);
            return result;
        }
        catch (Exception error) when (span is not null)
        {
            ActorSyncActivities.Failed(span, error);
            throw;
        }
    }

    private static async Task<BatchResult> ApplyBatchUntracedAsync(
        SyncPlan plan, HeldConnections held, int batchSize, bool hasDeadLetters, CancellationToken cancellationToken)
    {
        if (plan.Sync.OnApplyError != OnApplyError.DeadLetter)
        {
            return await ApplyFastAsync(plan, held, batchSize, cancellationToken);
        }

        if (!hasDeadLetters)
        {
            try
            {
                return await ApplyFastAsync(plan, held, batchSize, cancellationToken);
            }
            catch (Exception error) when (DeadLetterApplier.IsRefusal(error))
            {
                // The target refused a row: apply the batch again, isolating the refused keys (issue #19).
            }
        }

        // While the sync has dead letters every batch takes this path: it also clears the keys that apply now.
        var source = await held.SourceAsync(cancellationToken);
        var target = plan.Sync.SameDatabase ? source : await held.TargetAsync(cancellationToken);
        return await DeadLetterApplier.ApplyAsync(plan, source, target, batchSize, plan.Sync.ApplyTimeout, cancellationToken);
    }

    private static async Task<BatchResult> ApplyFastAsync(
        SyncPlan plan, HeldConnections held, int batchSize, CancellationToken cancellationToken)
    {
        var source = await held.SourceAsync(cancellationToken);
        return plan.Sync.SameDatabase
            ? await BatchApplier.ApplySameDatabaseAsync(plan, source, batchSize, plan.Sync.ApplyTimeout, cancellationToken)
            : await BatchApplier.ApplyAsync(
                plan, source, await held.TargetAsync(cancellationToken), batchSize, plan.Sync.ApplyTimeout, cancellationToken);
    }

    private static async Task<bool> HasPendingAsync(SyncPlan plan, HeldConnections held, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT FROM {plan.DeltaTable})", await held.SourceAsync(cancellationToken));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<bool> SourceColumnsChangedAsync(SyncPlan plan, CancellationToken cancellationToken)
    {
        await using var source = await _leaser.LeaseAsync(_sync.Source.Database, ConnectionRole.Read, cancellationToken);
        await using var command = new NpgsqlCommand(SyncPlan.SourceColumnsProbeSql, source.Connection);
        command.Parameters.Add(new NpgsqlParameter<uint> { TypedValue = plan.Source.Oid, DataTypeName = "oid" });
        var now = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        return now != string.Join(",", SchemaChange.Describe(plan.Source));
    }

    private void RefreshPending()
    {
        if (IsWal)
        {
            // No delta to count: what waits is the backlog (the keys in flight are applied by now or soon).
            _pending = (Backlog.Count, Backlog.OldestCommit);
            RecordPending();
            return;
        }

        if (_plan is not { } plan || _refreshingPending || _state is SyncStates.Idle)
        {
            return;
        }

        _refreshingPending = true;
        PendingAsync(plan, _stopping.Token).PipeTo(
            Self, success: p => new PendingRefreshed(p.Count, p.Oldest), failure: _ => new PendingRefreshed(_pending.Count, _pending.Oldest, Read: false));
    }

    private async Task<(long Count, DateTimeOffset? Oldest)> PendingAsync(SyncPlan plan, CancellationToken cancellationToken)
    {
        await using var source = await _leaser.LeaseAsync(_sync.Source.Database, ConnectionRole.Read, cancellationToken);
        return await BatchApplier.PendingAsync(plan, source.Connection, cancellationToken);
    }
}
