using ActorSync.Capture;
using ActorSync.Logging;
using ActorSync.Pools;
using ActorSync.State;
using Akka.Actor;
using Npgsql;

namespace ActorSync.Actors;

// dead-letters list|retry|discard (issue #19): run as a task, answered when it is done, whatever the replicator does.
public sealed partial class TableReplicatorActor
{
    private void OnDeadLettersRequested(DeadLettersRequested request)
    {
        var replyTo = Sender;
        var plan = _plan;
        var (state, remaining) = (_state, _health.DeadLetters);
        DeadLettersAsync(request, plan, state, _stopping.Token).PipeTo(
            Self,
            success: done => new DeadLettersDone(
                replyTo, done.Answer, request.Action == DeadLetterAction.Retry && done.Answer.Affected > 0, done.WalKeys),
            failure: error => new DeadLettersDone(
                replyTo, new DeadLettersAnswered(_sync.Name, [], 0, remaining, ErrorText.Describe(error)), false));
    }

    private void OnDeadLettersDone(DeadLettersDone done)
    {
        if (done.Answer.Error is null)
        {
            _health.DeadLetters = done.Answer.Remaining;
            _metrics.DeadLetters(_sync.Name, done.Answer.Remaining);
            if (done.Requeued && done.WalKeys is { } walKeys)
            {
                // WAL capture has no delta to queue them in: they join the sync's backlog of decoded keys.
                Backlog.Add(walKeys);
                _pending = (Backlog.Count, Backlog.OldestCommit);
                ContinueWal();
            }
            else if (done.Requeued)
            {
                // The keys are changes in the delta now: look at it, as a wake-up would.
                _armed = false;
                RequestDrain();
            }
        }

        done.ReplyTo.Tell(done.Answer);
    }

    private async Task<(DeadLettersAnswered Answer, Listening.WalKeySet? WalKeys)> DeadLettersAsync(
        DeadLettersRequested request, Apply.SyncPlan? plan, string state, CancellationToken cancellationToken)
    {
        await using var target = await _leaser.LeaseAsync(_sync.Target.Database, ConnectionRole.Write, cancellationToken);
        await CaptureInstaller.InstallTargetStateAsync(target.Connection, cancellationToken);
        var listed = await DeadLetterStore.ListAsync(target.Connection, _sync.SqlName, request.Key, cancellationToken);
        var affected = 0;
        Listening.WalKeySet? walKeys = null;
        switch (request.Action)
        {
            case DeadLetterAction.Retry when listed.Count > 0:
                if (plan is null)
                {
                    throw new InvalidOperationException(
                        $"sync {_sync.Name} has not started yet (it is {state}); retry its dead letters once it runs");
                }

                if (_sync.CaptureMode == CaptureMode.Wal)
                {
                    walKeys = RequeuedWalKeys(plan, listed);
                    affected = walKeys.Count;
                }
                else
                {
                    await using var source = await _leaser.LeaseAsync(_sync.Source.Database, ConnectionRole.Write, cancellationToken);
                    await using var command = new NpgsqlCommand(plan.RequeueDeadLettersSql, source.Connection);
                    command.Parameters.Add(new NpgsqlParameter<string[]>
                    {
                        TypedValue = listed.Select(l => l.Key).ToArray(),
                    });
                    affected = await command.ExecuteNonQueryAsync(cancellationToken);
                }

                LogMessages.SyncCommand(_logger, _sync.Name, $"{affected} dead-lettered key(s) queued again");
                break;
            case DeadLetterAction.Discard:
                affected = await DeadLetterStore.DiscardAsync(target.Connection, _sync.SqlName, request.Key, cancellationToken);
                LogMessages.SyncCommand(_logger, _sync.Name, $"{affected} dead-lettered key(s) discarded");
                break;
        }

        var remaining = await DeadLetterStore.CountAsync(target.Connection, null, _sync.SqlName, cancellationToken);
        return (new DeadLettersAnswered(
            _sync.Name, request.Action == DeadLetterAction.List ? listed : [], affected, remaining, null), walKeys);
    }

    /// <summary>The dead letters' keys (JSON objects of the key columns) as decoded keys: their columns' text in key order.</summary>
    private static Listening.WalKeySet RequeuedWalKeys(Apply.SyncPlan plan, IReadOnlyList<DeadLetter> letters)
    {
        var keys = new Listening.WalKeySet();
        var now = DateTimeOffset.UtcNow;
        foreach (var letter in letters)
        {
            using var json = System.Text.Json.JsonDocument.Parse(letter.Key);
            var key = new string[plan.Keys.Count];
            for (var i = 0; i < key.Length; i++)
            {
                var value = json.RootElement.GetProperty(plan.Keys[i].Name);
                key[i] = value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString()! : value.GetRawText();
            }

            keys.AddRequeued(key, now);
        }

        return keys;
    }
}
