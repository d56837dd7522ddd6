using ActorSync.Logging;
using Akka.Actor;

namespace ActorSync.Actors;

// A member of a consistent group (issue #19, DESIGN.md section 4): everything stays the replicator's (status, counters,
// schema checks, capture, copies, wake-ups) except applying a batch, which the group's applier does for every member.
public sealed partial class TableReplicatorActor
{
    private readonly IActorRef? _groups;
    private IActorRef? _groupApplier;
    private string? _heldReason;
    private bool _copyGranted;
    private bool _awaitingCopy;

    private void ReceiveGroupMessages()
    {
        Receive<GroupCopyGranted>(_ =>
        {
            if (!_awaitingCopy)
            {
                return;
            }

            _awaitingCopy = false;
            _busy = false;
            _copyGranted = true;
            Continue();
        });
        Receive<GroupHeld>(held =>
        {
            _busy = false;
            _heldReason = held.Reason;
            _state = SyncStates.Paused;
            ReleaseWakeUp();
            ReleaseConnections();
        });
        Receive<GroupPausedBy>(paused =>
        {
            _heldReason = paused.Reason;
            if (_busy || _plan is null)
            {
                return; // the next batch's answer (or Continue) sees it
            }

            if (paused.Reason is null && _state == SyncStates.Paused && !_paused)
            {
                Continue();
            }
            else if (paused.Reason is not null && _state is SyncStates.Streaming or SyncStates.Idle)
            {
                _state = SyncStates.Paused;
                ReleaseWakeUp();
            }
        });
        Receive<GroupBatchApplied>(applied =>
        {
            // Told, unasked: another member's question applied this sync's changes too.
            if (!applied.Result.IsEmpty)
            {
                RecordApplied(applied.Result, TimeSpan.Zero);
            }
        });
        Receive<GroupBatchFailed>(failed =>
        {
            // The group's transaction failed: this member fails with it (the error names the table) and retries with
            // its backoff. An incarnation that has not joined the group yet has nothing of the batch to answer for.
            if (_groupApplier is not null && _state is SyncStates.Streaming or SyncStates.Idle)
            {
                throw new SyncFailedException(_sync.Name, failed.Error);
            }
        });
    }

    /// <summary>Asks the groups actor for this sync's group; null when the engine forms none (actor tests).</summary>
    private async Task<GroupFound?> FindGroupAsync(CancellationToken cancellationToken)
    {
        if (_groups is null)
        {
            return null;
        }

        var found = await _groups.Ask<GroupFound>(new GroupWanted(_sync.Name), _settings.LeaseTimeout, cancellationToken);
        if (found.Problem is { } problem)
        {
            throw new SyncConfigurationException(_sync.Name, [problem]);
        }

        return found;
    }

    private void JoinGroup(GroupFound? found)
    {
        if (found?.Applier is not { } applier || _groupApplier is not null)
        {
            return;
        }

        _groupApplier = applier;
        LogMessages.SyncCommand(_logger, _sync.Name, $"member of group {found.Group!.Name}: its batches are applied with the group's");
        if (_paused)
        {
            applier.Tell(new GroupMemberPaused(_sync.Name, true));
        }
    }

    /// <summary>Alone, or granted: copy now. Otherwise ask the group's applier and wait for <see cref="GroupCopyGranted"/>.</summary>
    private bool CopyGranted()
    {
        if (_groupApplier is null || _copyGranted)
        {
            return true;
        }

        if (!_awaitingCopy)
        {
            _awaitingCopy = true;
            _busy = true;
            _state = SyncStates.Snapshotting;
            ReleaseWakeUp();
            _groupApplier.Tell(new GroupCopyWanted(_sync.Name));
        }

        return false;
    }

    private void AskGroupBatch(int limit, System.Diagnostics.Stopwatch clock)
    {
        // The answer comes when the group's batch is done; the apply timeout bounds each statement of it.
        var timeout = _sync.ApplyTimeout * 4 + _settings.LeaseTimeout;
        _groupApplier!.Ask<object>(new GroupBatchWanted(_sync.Name, limit), timeout, _stopping.Token).PipeTo(
            Self,
            success: answer => answer switch
            {
                GroupBatchApplied applied => new BatchDone(applied.Result, clock.Elapsed, limit),
                GroupHeld held => held,
                _ => new WorkFailed(new InvalidOperationException($"unexpected answer from the group's applier: {answer}"), limit),
            },
            failure: error => new WorkFailed(error, limit));
    }
}
