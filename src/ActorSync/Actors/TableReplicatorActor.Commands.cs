using ActorSync.Logging;
using ActorSync.Pools;
using ActorSync.State;
using Akka.Actor;

namespace ActorSync.Actors;

// Pause, resume, resync and status: answered at once, whatever the replicator is doing.
public sealed partial class TableReplicatorActor
{
    private void OnPause()
    {
        _paused = true;
        StorePaused(true);
        _groupApplier?.Tell(new GroupMemberPaused(_sync.Name, true));
        if (!_busy)
        {
            _state = SyncStates.Paused;
            ReleaseWakeUp();
            ReleaseConnections();
        }

        LogMessages.SyncCommand(_logger, _sync.Name, "paused");
        Sender.Tell(new CommandAccepted(_sync.Name, SyncStates.Paused));
    }

    private void OnResume()
    {
        var wasPaused = _paused;
        _paused = false;
        StorePaused(false);
        _groupApplier?.Tell(new GroupMemberPaused(_sync.Name, false));
        if (wasPaused && !_busy && _plan is not null)
        {
            Continue();
        }

        LogMessages.SyncCommand(_logger, _sync.Name, "resumed");
        Sender.Tell(new CommandAccepted(_sync.Name, _state == SyncStates.Paused ? SyncStates.Streaming : _state));
    }

    private void OnResync()
    {
        if (_state != SyncStates.Snapshotting)
        {
            _health.ResyncRequested = true;
            if (!_busy && _plan is not null)
            {
                Continue();
            }
        }

        LogMessages.SyncCommand(_logger, _sync.Name, "resync requested");
        Sender.Tell(new CommandAccepted(_sync.Name, SyncStates.Snapshotting));
    }

    private void StorePaused(bool paused)
    {
        var sync = _sync;
        var leaser = _leaser;
        _ = Task.Run(async () =>
        {
            // Best effort: the flag in memory decides now; the stored one only matters after a restart.
            try
            {
                await using var target = await leaser.LeaseAsync(sync.Target.Database, ConnectionRole.Write, CancellationToken.None);
                await SyncStateStore.SetPausedAsync(target.Connection, sync.SqlName, paused, CancellationToken.None);
            }
            catch (Exception error) when (error is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogMessages.SyncCommand(_logger, sync.Name, $"could not store the paused flag: {ErrorText.Describe(error)}");
            }
        });
    }

    private SyncStatus Report()
    {
        var pending = _state == SyncStates.Idle ? 0L : _pending.Count;
        var lag = _health.Lag.Seconds();
        return new SyncStatus(
            _sync.Name,
            _sync.Source.ToString(),
            _sync.Target.ToString(),
            _state,
            _health.RowsApplied,
            _health.BatchesApplied,
            pending,
            Math.Round(lag, 3),
            _health.History.Restarts,
            _health.History.LastError,
            _health.LastAppliedAt,
            _snapshot is { } progress ? SnapshotStatusReport.From(progress) : null)
        {
            DeadLetters = _health.DeadLetters,
            Reason = _state == SyncStates.Paused && !_paused ? _heldReason : null,
        };
    }
}
