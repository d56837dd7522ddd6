using System.Diagnostics;
using ActorSync.Apply;
using ActorSync.Capture;
using ActorSync.Listening;
using ActorSync.Logging;
using ActorSync.Pools;
using ActorSync.Telemetry;
using Akka.Actor;
using Npgsql;
using NpgsqlTypes;

namespace ActorSync.Actors;

// WAL capture (issue #20; DESIGN.md, "WAL capture"): the listener sends the keys of each chunk of the stream; the
// replicator applies them at once when it is streaming and has no backlog, and answers when they are committed on the
// target. Otherwise (preparing, copying, paused, failing) they go to its backlog, which survives restarts, and the
// listener holds the slot's position back for the sync until the backlog is applied after the copy, resume or start.
public sealed partial class TableReplicatorActor
{
    // Every this many fills the table of decoded keys is truncated: temporary tables are never autovacuumed.
    private const int WalKeysResetEvery = 200;

    // The parts of the stream being applied now, and those that arrived meanwhile (applied next, as one).
    private readonly List<WalKeys> _walInFlight = [];
    private readonly List<WalKeys> _walQueued = [];
    private WalKeySet? _walBacklogInFlight;
    private int _walFills;

    // The fence and the re-read snapshots that keep older decoded rows from overwriting newer target rows. Per
    // incarnation: a new one re-reads until its own fence (the target may hold rows newer than anything decoded before).
    private readonly WalRowFence _walFence = new();

    private bool IsWal => _sync.CaptureMode == CaptureMode.Wal;

    // After a batch that did not fill, the parts that arrive wait batch-delay for more to gather (as trigger capture's
    // batches do): fewer, larger target transactions under a steady stream. An idle sync applies at once.
    private bool WalGathering => Timers.IsTimerActive(nameof(WalGatherDue));

    private WalBacklog Backlog => _health.WalBacklog;

    private void ReceiveWal()
    {
        Receive<WalKeys>(OnWalKeys);
        Receive<WalBatchDone>(OnWalBatchDone);
        Receive<WalGatherDue>(_ => OnWalGatherDue());
    }

    private bool CanApplyWal =>
        _plan is not null && !_busy && !_paused && !_needsSnapshot && !_health.ResyncRequested && !_schemaChanged &&
        _state is SyncStates.Streaming or SyncStates.Idle;

    private void OnWalKeys(WalKeys keys)
    {
        if (_walInFlight.Count > 0 || WalGathering)
        {
            _walQueued.Add(keys);
            return;
        }

        if (CanApplyWal && Backlog.IsEmpty)
        {
            _walInFlight.Add(keys);
            ApplyWal(keys.Keys);
            return;
        }

        Hold(keys);
    }

    /// <summary>Puts a part of the stream in the backlog: the listener holds the slot's position back for it.</summary>
    private void Hold(WalKeys keys)
    {
        Backlog.Add(keys.Keys);
        LogMessages.WalHeld(_logger, _sync.Name, keys.Chunk, keys.Keys.Count, Backlog.Count);
        _listener.Tell(new WalKeysTaken(keys.Stream, keys.Chunk, keys.Sync, Held: true));
        _pending = (Backlog.Count, Backlog.OldestCommit);
    }

    private void HoldQueued()
    {
        foreach (var keys in _walQueued)
        {
            Hold(keys);
        }

        _walQueued.Clear();
    }

    /// <summary>
    /// Applies the parts that queued during the last apply as one (a later row of a key replaces an earlier one), as many
    /// as fit in <c>batch-size</c> together; the rest wait for the next batch.
    /// </summary>
    private void ApplyQueued()
    {
        var limit = Math.Min(_sync.BatchSize, _health.BatchLimit ?? int.MaxValue);
        var taken = 1;
        var keys = _walQueued[0].Keys.Count;
        while (taken < _walQueued.Count && keys + _walQueued[taken].Keys.Count <= limit)
        {
            keys += _walQueued[taken].Keys.Count;
            taken++;
        }

        var parts = _walQueued.GetRange(0, taken);
        _walQueued.RemoveRange(0, taken);
        _walInFlight.AddRange(parts);
        if (parts.Count == 1)
        {
            ApplyWal(parts[0].Keys); // one part alone: applied as it is, not copied into a merged set first
            return;
        }

        var merged = new WalKeySet();
        foreach (var part in parts)
        {
            merged.Append(part.Keys);
        }

        ApplyWal(merged);
    }

    /// <summary>What a WAL sync does when nothing runs: apply its backlog, ask for a replay, or go idle.</summary>
    private void ContinueWal()
    {
        if (_busy || !CanApplyWal)
        {
            return;
        }

        if (Backlog.Overflowed)
        {
            // The keys were dropped: the listener held the slot back for them and streams them again from there.
            Backlog.Take();
            Backlog.Release();
            _listener.Tell(new WalReplayNeeded(_sync.SqlName));
            _state = SyncStates.Streaming;
            return;
        }

        if (Backlog.HasKeys)
        {
            // Kept until applied: a failure puts them back (the backlog, and the hold, survive the restart).
            _walBacklogInFlight = Backlog.Take();
            ApplyWal(_walBacklogInFlight);
            return;
        }

        if (Backlog.Held)
        {
            Backlog.Release();
            _listener.Tell(new WalHoldReleased(_sync.SqlName));
        }

        _state = SyncStates.Idle;
        _pending = (0, null);
        RecordPending();
        if (!_caughtUpLogged)
        {
            _caughtUpLogged = true;
            LogMessages.CaughtUp(_logger, _sync.Name);
        }
    }

    private void ApplyWal(WalKeySet keys)
    {
        _busy = true;
        _state = SyncStates.Streaming;
        var clock = Stopwatch.StartNew();
        var limit = Math.Min(_sync.BatchSize, _health.BatchLimit ?? int.MaxValue);
        var rows = RowsToApply(keys, out var skipped);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var xids = keys.Xids;
            LogMessages.WalApply(
                _logger, _sync.Name, rows is null ? "re-read" : "rows", string.Join(",", _walInFlight.Select(k => k.Chunk)), keys.Count,
                xids.Count > 0 ? xids.Min() : 0, xids.Count > 0 ? xids.Max() : 0, keys.FirstCommitLsn?.ToString() ?? "-",
                _walFence.RowsFrom?.ToString() ?? "-", keys.Truncate ? ", truncate" : "", skipped);
        }

        if (rows is not null)
        {
            ApplyWalRowsAsync(_plan!, _held, rows, keys.OldestCommit, _stopping.Token).PipeTo(
                Self, success: r => new WalBatchDone(r, clock.Elapsed, null), failure: e => new WorkFailed(e, limit));
            return;
        }

        var reset = ++_walFills % WalKeysResetEvery == 0;
        ApplyWalAsync(_plan!, _held, keys, limit, _health.DeadLetters > 0, reset, _stopping.Token).PipeTo(
            Self, success: r => new WalBatchDone(r.Result, clock.Elapsed, r.Reread), failure: e => new WorkFailed(e, limit));
    }

    /// <summary>
    /// The decoded rows of <paramref name="keys"/> to apply as they are, or null when the keys must be re-read: the
    /// sync cannot take rows (<see cref="SyncPlan.AppliesWalRows"/>, dead letters to look after), some change came
    /// without its complete row, or a transaction committed before the fence (<see cref="WalRowFence"/>). Rows of re-read keys
    /// from transactions the re-read saw are left out: the target has them, or newer.
    /// </summary>
    private DecodedRows? RowsToApply(WalKeySet keys, out int skipped)
    {
        skipped = 0;
        if (_plan is not { AppliesWalRows: true } plan || _health.DeadLetters > 0 || keys.Rows is not { } rows ||
            keys.FirstCommitLsn is not { } first || !_walFence.AppliesRows(first))
        {
            return null;
        }

        var upserts = new List<DecodedRow>(rows.Count);
        var deletes = new List<string[]>();
        string[]? columns = null;
        int[]? order = null;
        foreach (var (key, row) in rows)
        {
            if (_walFence.Skips(key, row.Xid))
            {
                skipped++;
                continue;
            }

            if (row.Values.IsDefault)
            {
                deletes.Add(key);
                continue;
            }

            if (!ReferenceEquals(row.Columns, columns))
            {
                columns = row.Columns;
                var indexes = plan.WalRowIndexes(columns);
                if (indexes is null)
                {
                    return null; // a copied column the stream does not carry (a generated one)
                }

                // The stream's columns are the plan's, in its order (the usual case): the values are taken as decoded.
                order = indexes.Length == columns.Length && indexes.AsSpan().SequenceEqual(Enumerable.Range(0, indexes.Length).ToArray()) ? null : indexes;
            }

            upserts.Add(new DecodedRow(key, row.Values, order));
        }

        return new DecodedRows(upserts, deletes);
    }

    private static async Task<BatchResult> ApplyWalRowsAsync(
        SyncPlan plan, HeldConnections held, DecodedRows rows, DateTimeOffset? oldestCommit, CancellationToken cancellationToken)
    {
        if (rows.Upserts.Count == 0 && rows.Deletes.Count == 0)
        {
            return BatchResult.Nothing;
        }

        using var span = ActorSyncActivities.StartBatch(plan.Sync.Name);
        try
        {
            var target = await held.TargetAsync(cancellationToken);
            var result = await WalRowApplier.ApplyAsync(plan, target, rows.Upserts, rows.Deletes, oldestCommit, cancellationToken);
            ActorSyncActivities.BatchDone(span, result);
            return result;
        }
        catch (Exception error) when (span is not null)
        {
            ActorSyncActivities.Failed(span, error);
            throw;
        }
    }

    private static async Task<(BatchResult Result, WalReread Reread)> ApplyWalAsync(
        SyncPlan plan, HeldConnections held, WalKeySet keys, int batchSize, bool hasDeadLetters, bool reset, CancellationToken cancellationToken)
    {
        var walPlan = plan.ForWal();
        var source = await held.SourceAsync(cancellationToken);
        if (reset)
        {
            await WalBatchApplier.ResetAsync(walPlan, source, cancellationToken);
        }

        var reread = await WalBatchApplier.FillAsync(walPlan, source, keys, cancellationToken);
        var total = new BatchResult(0, 0, 0, false, keys.OldestCommit);
        while (true)
        {
            var result = await ApplyBatchAsync(walPlan, held, batchSize, hasDeadLetters, cancellationToken);
            if (result.IsEmpty)
            {
                return (total, reread);
            }

            total = new BatchResult(
                total.DeltaRows + result.DeltaRows, total.Upserted + result.Upserted, total.Deleted + result.Deleted,
                total.Truncated || result.Truncated, keys.OldestCommit)
            {
                DeadLettered = total.DeadLettered + result.DeadLettered,
                DeadLetters = result.DeadLetters ?? total.DeadLetters,
            };
        }
    }

    private void OnWalBatchDone(WalBatchDone done)
    {
        _busy = false;
        var result = done.Result;
        _health.BatchLimit = null;
        if (!result.IsEmpty)
        {
            _health.RecordBatch(result);
            if (result.DeadLetters is { } deadLetters)
            {
                _health.DeadLetters = deadLetters;
                _metrics.DeadLetters(_sync.Name, deadLetters);
            }

            _metrics.BatchApplied(_sync.Name, result, done.Elapsed);
            _caughtUpLogged &= result.DeltaRows < BatchApplier.SmallBatchRows;
            LogMessages.BatchApplied(_logger, _sync.Name, result.DeltaRows, result.Upserted, result.Deleted, result.Truncated ? ", target truncated" : "");
        }

        if (done.Reread is { } reread)
        {
            _walFence.Remember(reread);
        }

        _walBacklogInFlight = null;
        foreach (var keys in _walInFlight)
        {
            _listener.Tell(new WalKeysTaken(keys.Stream, keys.Chunk, keys.Sync, Held: false));
        }

        _walInFlight.Clear();
        RecordSuccess();
        if (_schemaChanged)
        {
            HoldQueued();
            _schemaChanged = false;
            StartWork();
        }
        else if (_health.ResyncRequested || _paused)
        {
            HoldQueued();
            Continue();
        }
        else if (!result.IsEmpty && result.DeltaRows < _sync.BatchSize && _sync.BatchDelay > TimeSpan.Zero && Backlog.IsEmpty && CanApplyWal)
        {
            // As trigger capture's batches: after one that did not fill, changes gather for batch-delay.
            Timers.StartSingleTimer(nameof(WalGatherDue), WalGatherDue.Instance, _sync.BatchDelay);
        }
        else if (_walQueued.Count > 0 && Backlog.IsEmpty && CanApplyWal)
        {
            ApplyQueued();
        }
        else
        {
            HoldQueued();
            ContinueWal();
        }
    }

    private void OnWalGatherDue()
    {
        if (_walQueued.Count > 0 && _walInFlight.Count == 0 && Backlog.IsEmpty && CanApplyWal)
        {
            ApplyQueued();
            return;
        }

        // Nothing came (the sync goes idle), or something else started meanwhile (a copy, a pause, a backlog): the
        // parts wait in the backlog, in order.
        HoldQueued();
        ContinueWal();
    }

    /// <summary>A failed incarnation's keys in flight go to the backlog: the slot stays held for them.</summary>
    private void ReturnWalInFlight()
    {
        if (_walBacklogInFlight is { } taken)
        {
            _walBacklogInFlight = null;
            Backlog.Restore(taken);
        }

        if (_walInFlight.Count + _walQueued.Count > 0)
        {
            var parts = _walInFlight.Concat(_walQueued).ToArray();
            _walInFlight.Clear();
            _walQueued.Clear();
            var merged = new WalKeySet();
            foreach (var keys in parts)
            {
                merged.AddAll(keys.Keys);
            }

            Backlog.Restore(merged);
            foreach (var keys in parts)
            {
                _listener.Tell(new WalKeysTaken(keys.Stream, keys.Chunk, keys.Sync, Held: true));
            }
        }
    }

    /// <summary>
    /// Prepares WAL capture for the sync: the publication (with its table) and the slot exist before anything is copied.
    /// A sync that captured with triggers before switches without losing a change: its triggers are dropped once the
    /// slot exists (every change from then on is in the WAL), then the delta they filled is drained by the trigger path
    /// (unless the table is copied anyway), then the delta is dropped.
    /// </summary>
    /// <returns>
    /// The source's WAL position now, after everything an earlier incarnation wrote to the target: decoded rows from
    /// transactions that committed after it are newer than any row the target has.
    /// </returns>
    private async Task<NpgsqlLogSequenceNumber> PrepareWalCaptureAsync(NpgsqlConnection source, SyncPlan plan, bool copying, CancellationToken cancellationToken)
    {
        var installed = await WalInstaller.EnsureAsync(source, _sync.Source.Database, [_sync.Source], exact: false, cancellationToken);
        var switched = await WalSwitch.DropTriggersAsync(source, plan, cancellationToken);
        if (switched)
        {
            if (!copying)
            {
                var held = new HeldConnections(_leaser, _sync);
                await using (held)
                {
                    while (!(await ApplyBatchAsync(plan, held, _sync.BatchSize, _health.DeadLetters > 0, cancellationToken)).IsEmpty)
                    {
                    }
                }
            }

            await WalSwitch.DropDeltaAsync(source, plan, cancellationToken);
        }

        LogMessages.WalCaptureReady(
            _logger, _sync.Name, _sync.Source.ToString(), WalNames.Slot(_sync.Source.Database),
            (installed.SlotCreated ? "; slot created" : "") + (switched ? "; switched from trigger capture: triggers dropped, delta drained and dropped" : ""));
        return await WalPositionAsync(source, cancellationToken);
    }

    private async Task<NpgsqlLogSequenceNumber> WalPositionAsync(CancellationToken cancellationToken)
    {
        await using var source = await _leaser.LeaseAsync(_sync.Source.Database, ConnectionRole.Read, cancellationToken);
        return await WalPositionAsync(source.Connection, cancellationToken);
    }

    private static async Task<NpgsqlLogSequenceNumber> WalPositionAsync(NpgsqlConnection source, CancellationToken cancellationToken)
    {
        await using var position = new NpgsqlCommand(WalReread.PositionSql, source);
        return NpgsqlLogSequenceNumber.Parse((string)(await position.ExecuteScalarAsync(cancellationToken))!);
    }

    private sealed record WalGatherDue
    {
        public static readonly WalGatherDue Instance = new();
    }

    private sealed record WalBatchDone(BatchResult Result, TimeSpan Elapsed, WalReread? Reread);

    private sealed record DecodedRows(List<DecodedRow> Upserts, List<string[]> Deletes);
}
