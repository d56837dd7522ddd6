using System.Diagnostics;
using ActorSync.Apply;
using ActorSync.Capture;
using ActorSync.Listening;
using ActorSync.Logging;
using Akka.Actor;
using Npgsql;

namespace ActorSync.Actors;

// WAL capture (issue #20; DESIGN.md, "WAL capture"): the listener sends the keys of each chunk of the stream; the
// replicator applies them at once when it is streaming and has no backlog, and answers when they are committed on the
// target. Otherwise (preparing, copying, paused, failing) they go to its backlog, which survives restarts, and the
// listener holds the slot's position back for the sync until the backlog is applied after the copy, resume or start.
public sealed partial class TableReplicatorActor
{
    // Every this many fills the table of decoded keys is truncated: temporary tables are never autovacuumed.
    private const int WalKeysResetEvery = 200;

    private WalKeys? _walInFlight;
    private WalKeySet? _walBacklogInFlight;
    private int _walFills;

    private bool IsWal => _sync.CaptureMode == CaptureMode.Wal;

    private WalBacklog Backlog => _health.WalBacklog;

    private void ReceiveWal()
    {
        Receive<WalKeys>(OnWalKeys);
        Receive<WalBatchDone>(OnWalBatchDone);
    }

    private bool CanApplyWal =>
        _plan is not null && !_busy && !_paused && !_needsSnapshot && !_health.ResyncRequested && !_schemaChanged &&
        _state is SyncStates.Streaming or SyncStates.Idle;

    private void OnWalKeys(WalKeys keys)
    {
        if (CanApplyWal && Backlog.IsEmpty)
        {
            _walInFlight = keys;
            ApplyWal(keys.Keys);
            return;
        }

        Backlog.Add(keys.Keys);
        _listener.Tell(new WalKeysTaken(keys.Stream, keys.Chunk, keys.Sync, Held: true));
        _pending = (Backlog.Count, Backlog.OldestCommit);
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
        var reset = ++_walFills % WalKeysResetEvery == 0;
        ApplyWalAsync(_plan!, _held, keys, limit, _health.DeadLetters > 0, reset, _stopping.Token).PipeTo(
            Self, success: r => new WalBatchDone(r, clock.Elapsed), failure: e => new WorkFailed(e, limit));
    }

    private static async Task<BatchResult> ApplyWalAsync(
        SyncPlan plan, HeldConnections held, WalKeySet keys, int batchSize, bool hasDeadLetters, bool reset, CancellationToken cancellationToken)
    {
        var walPlan = plan.ForWal();
        var source = await held.SourceAsync(cancellationToken);
        if (reset)
        {
            await WalBatchApplier.ResetAsync(walPlan, source, cancellationToken);
        }

        await WalBatchApplier.FillAsync(walPlan, source, keys, cancellationToken);
        var total = new BatchResult(0, 0, 0, false, keys.OldestCommit);
        while (true)
        {
            var result = await ApplyBatchAsync(walPlan, held, batchSize, hasDeadLetters, cancellationToken);
            if (result.IsEmpty)
            {
                return total;
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

        _walBacklogInFlight = null;
        if (_walInFlight is { } keys)
        {
            _walInFlight = null;
            _listener.Tell(new WalKeysTaken(keys.Stream, keys.Chunk, keys.Sync, Held: false));
        }

        RecordSuccess();
        if (_schemaChanged)
        {
            _schemaChanged = false;
            StartWork();
        }
        else if (_health.ResyncRequested || _paused)
        {
            Continue();
        }
        else
        {
            ContinueWal();
        }
    }

    /// <summary>A failed incarnation's keys in flight go to the backlog: the slot stays held for them.</summary>
    private void ReturnWalInFlight()
    {
        if (_walBacklogInFlight is { } taken)
        {
            _walBacklogInFlight = null;
            Backlog.Restore(taken);
        }

        if (_walInFlight is { } keys)
        {
            _walInFlight = null;
            Backlog.Restore(keys.Keys);
            _listener.Tell(new WalKeysTaken(keys.Stream, keys.Chunk, keys.Sync, Held: true));
        }
    }

    /// <summary>
    /// Prepares WAL capture for the sync: the publication (with its table) and the slot exist before anything is copied.
    /// A sync that captured with triggers before switches without losing a change: its triggers are dropped once the
    /// slot exists (every change from then on is in the WAL), then the delta they filled is drained by the trigger path
    /// (unless the table is copied anyway), then the delta is dropped.
    /// </summary>
    private async Task PrepareWalCaptureAsync(NpgsqlConnection source, SyncPlan plan, bool copying, CancellationToken cancellationToken)
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
    }

    private sealed record WalBatchDone(BatchResult Result, TimeSpan Elapsed);
}
