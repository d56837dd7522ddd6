using ActorSync.Apply;
using ActorSync.Configuration;
using ActorSync.Logging;
using ActorSync.Pools;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSync.Actors;

/// <summary>
/// Applies one consistent group (issue #19, DESIGN.md section 4). Each member keeps its <see cref="TableReplicatorActor"/>
/// (status, counters, schema checks, capture, copy, wake-ups); a member that would apply a batch asks this actor instead
/// (<see cref="GroupBatchWanted"/>), and one group batch (<see cref="GroupBatchApplier"/>) applies every streaming
/// member's changes. Questions that arrive while a batch runs are answered by the next one. Each member's part goes
/// back to it: as the answer to its question, or told (<see cref="GroupBatchApplied"/>) to members that did not ask.
/// A paused member holds the group; a member that copies its table (first copy, resync) is left out of the batches
/// until it streams again, and copies only once the members before it in apply order stream. A failed batch fails every
/// member (they restart with their own backoff and ask again).
/// </summary>
public sealed class GroupApplierActor : ReceiveActor
{
    private readonly SyncGroup _group;
    private readonly IConnectionLeaser _leaser;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private List<(IActorRef ReplyTo, string Sync)> _waiting = [];
    private bool _running;
    private int? _limit;
    private HeldConnections _held;

    public GroupApplierActor(SyncGroup group, IConnectionLeaser leaser, ILoggerFactory loggerFactory)
    {
        _group = group;
        _leaser = leaser;
        _logger = loggerFactory.CreateLogger<GroupApplierActor>();
        _held = new HeldConnections(leaser, group.Members[0]);
        foreach (var member in group.Members)
        {
            _members[member.Name] = new Member(member);
        }

        Receive<GroupMemberStreaming>(streaming =>
        {
            var member = Track(streaming.Sync);
            member.Plan = streaming.Plan;
            member.Copying = false;
            member.HasDeadLetters = streaming.DeadLetters > 0;
            GrantCopies();
        });
        Receive<GroupMemberPaused>(OnMemberPaused);
        Receive<GroupCopyWanted>(wanted =>
        {
            var member = Track(wanted.Sync);
            member.CopyWanted = true;
            GrantCopies();
        });
        Receive<GroupBatchWanted>(wanted =>
        {
            // Sender is the question's temporary actor, not the replicator: it is not tracked.
            _waiting.Add((Sender, wanted.Sync));
            if (!_running)
            {
                RunBatch();
            }
        });
        Receive<BatchRan>(OnBatchRan);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _ = _held.DisposeAsync().AsTask();
        _stopping.Dispose();
    }

    private Member Track(string sync)
    {
        var member = _members[sync];
        member.Replicator = Sender;
        return member;
    }

    private void OnMemberPaused(GroupMemberPaused paused)
    {
        var wasHeld = HeldBy() is not null;
        Track(paused.Sync).Paused = paused.Paused;
        var reason = HeldBy() is { } by ? $"group {_group.Name} is paused by {by}" : null;
        if ((reason is not null) != wasHeld || reason is not null)
        {
            foreach (var member in _members.Values.Where(m => m.Replicator is not null && m.Definition.Name != paused.Sync))
            {
                member.Replicator!.Tell(new GroupPausedBy(reason));
            }
        }
    }

    private string? HeldBy() => _group.Members.Select(m => _members[m.Name]).FirstOrDefault(m => m.Paused)?.Definition.Name;

    /// <summary>A member copies once every member before it in apply order streams: parents are copied before their children.</summary>
    private void GrantCopies()
    {
        foreach (var definition in _group.Members)
        {
            var member = _members[definition.Name];
            if (member.CopyWanted)
            {
                member.CopyWanted = false;
                member.Copying = true;
                member.Replicator?.Tell(GroupCopyGranted.Instance);
            }

            if (member.Plan is null || member.Copying)
            {
                return; // the members after it wait
            }
        }
    }

    private void RunBatch()
    {
        var asked = _waiting;
        _waiting = [];
        if (HeldBy() is { } by)
        {
            foreach (var (replyTo, _) in asked)
            {
                replyTo.Tell(new GroupHeld($"group {_group.Name} is paused by {by}"));
            }

            return;
        }

        var streaming = _group.Members.Select(m => _members[m.Name]).Where(m => m.Plan is not null && !m.Copying).ToArray();
        if (streaming.Length == 0)
        {
            foreach (var (replyTo, _) in asked)
            {
                replyTo.Tell(new GroupBatchApplied(BatchResult.Nothing));
            }

            return;
        }

        _running = true;
        var plans = streaming.Select(m => m.Plan!).ToArray();
        var limit = Math.Min(plans.Min(p => p.Sync.BatchSize), _limit ?? int.MaxValue);
        var careful = streaming.Any(m => m.HasDeadLetters && m.Definition.OnApplyError == OnApplyError.DeadLetter);
        var deadLetters = streaming.Any(m => m.Definition.OnApplyError == OnApplyError.DeadLetter);
        var timeout = plans.Max(p => p.Sync.ApplyTimeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ApplyAsync(plans, limit, timeout, careful, deadLetters, _held, _stopping.Token).PipeTo(
            Self,
            success: results => new BatchRan(asked, streaming, results, null, clock.Elapsed, limit),
            failure: error => new BatchRan(asked, streaming, null, error, clock.Elapsed, limit));
    }

    private async Task<IReadOnlyDictionary<string, BatchResult>> ApplyAsync(
        SyncPlan[] plans, int limit, TimeSpan timeout, bool careful, bool deadLetters, HeldConnections held, CancellationToken cancellationToken)
    {
        var source = await held.SourceAsync(cancellationToken);
        var target = plans[0].Sync.SameDatabase ? source : await held.TargetAsync(cancellationToken);
        if (!careful)
        {
            try
            {
                return await GroupBatchApplier.ApplyAsync(_group, plans, source, target, limit, timeout, careful: false, cancellationToken);
            }
            catch (GroupApplyException refused) when (deadLetters && DeadLetterApplier.IsRefusal(refused.Error))
            {
                // The target refused a row: apply the batch again unit by unit, dead-lettering the refused units (issue #19).
            }
        }

        return await GroupBatchApplier.ApplyAsync(_group, plans, source, target, limit, timeout, careful: true, cancellationToken);
    }

    private void OnBatchRan(BatchRan ran)
    {
        _running = false;
        if (ran.Error is { } error)
        {
            if (error is GroupApplyException { Error.SqlState: "57014" } && ran.Limit > 1)
            {
                _limit = ran.Limit / 2; // cancelled by the apply timeout: the retry takes a smaller batch
            }

            LogMessages.GroupBatchFailed(_logger, _group.Name, ErrorText.Describe(error));
            var held = _held;
            _held = new HeldConnections(_leaser, _group.Members[0]);
            _ = held.DisposeAsync().AsTask();
            foreach (var (replyTo, _) in ran.Asked)
            {
                replyTo.Tell(new Status.Failure(error));
            }

            // Members that asked get the failure as their answer; those waiting for the next batch get that one's.
            foreach (var member in ran.Streaming.Where(m => ran.Asked.Concat(_waiting).All(a => a.Sync != m.Definition.Name)))
            {
                member.Replicator?.Tell(new GroupBatchFailed(error));
            }
        }
        else
        {
            _limit = null;
            var results = ran.Results!;
            foreach (var (replyTo, sync) in ran.Asked)
            {
                replyTo.Tell(new GroupBatchApplied(results.TryGetValue(sync, out var result) ? result : BatchResult.Nothing));
            }

            foreach (var (sync, result) in results)
            {
                var member = _members[sync];
                if (result.DeadLetters is { } count)
                {
                    member.HasDeadLetters = count > 0;
                }

                if (ran.Asked.All(a => a.Sync != sync))
                {
                    member.Replicator?.Tell(new GroupBatchApplied(result));
                }
            }

            if (results.Count == 0 && _waiting.Count == 0)
            {
                // Nothing to do: give the connections back until the next question.
                var held = _held;
                _held = new HeldConnections(_leaser, _group.Members[0]);
                _ = held.DisposeAsync().AsTask();
            }
        }

        if (_waiting.Count > 0)
        {
            RunBatch();
        }
    }

    private sealed class Member(SyncDefinition definition)
    {
        public SyncDefinition Definition { get; } = definition;

        public IActorRef? Replicator { get; set; }

        public SyncPlan? Plan { get; set; }

        public bool Copying { get; set; }

        public bool CopyWanted { get; set; }

        public bool Paused { get; set; }

        public bool HasDeadLetters { get; set; }
    }

    private sealed record BatchRan(
        List<(IActorRef ReplyTo, string Sync)> Asked, Member[] Streaming, IReadOnlyDictionary<string, BatchResult>? Results, Exception? Error,
        TimeSpan Elapsed, int Limit);
}
