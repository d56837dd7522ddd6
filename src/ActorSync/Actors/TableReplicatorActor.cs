using ActorSync.Apply;
using ActorSync.Configuration;
using ActorSync.Logging;
using ActorSync.Metrics;
using ActorSync.Pools;
using ActorSync.Snapshot;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSync.Actors;

/// <summary>
/// One per sync (DESIGN.md, step 3). Prepares the sync (plan, target setup, capture), copies the table when it has
/// never been copied (or on resync), then drains the delta batch by batch until it is empty and goes idle: its wake-up
/// lock armed, waiting for <see cref="ChangesPending"/>, a catch-up or the poll timer (the safety net). Every piece of
/// database work runs as a task piped back as a message, so the actor always answers status; wake-ups that arrive
/// while a batch runs are coalesced into one more batch. A failure ends the incarnation: the guardian restarts it and
/// the new one reports <c>failing</c> with the error while it waits out the backoff, then starts over.
/// </summary>
public sealed partial class TableReplicatorActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan FirstQuickPoll = TimeSpan.FromMilliseconds(5);

    // Polls shorter than this many scheduler ticks do not wait on the scheduler (see SchedulePoll).
    private const int ShortPollTicks = 10;
    private static readonly TimeSpan PendingRefreshInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SnapshotLogInterval = TimeSpan.FromSeconds(10);

    private readonly SyncDefinition _sync;
    private readonly IConnectionLeaser _leaser;
    private readonly IActorRef _listener;
    private readonly SyncHealth _health;
    private readonly EngineSettings _settings;
    private readonly ILogger _logger;
    private readonly ActorSyncMetrics _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _schedulerTick = Context.System.Settings.Config.GetTimeSpan("akka.scheduler.tick-duration", TimeSpan.FromMilliseconds(10));

    private SyncPlan? _plan;
    private string _state = SyncStates.Starting;
    private bool _busy;
    private bool _wakeRequested;
    private bool _armed;
    private bool _paused;
    private bool _needsSnapshot;
    private bool _caughtUpLogged;
    private bool _refreshingPending;
    private bool _checkingSchema;
    private bool _schemaChanged;
    private TimeSpan _quickPoll = FirstQuickPoll;

    // Poll tokens are unique across incarnations: a short poll of a failed incarnation may still arrive after a restart.
    private static long _pollTokens;
    private long _pollToken;
    private SnapshotProgress? _snapshot;
    private HeldConnections _held;
    private (long Count, DateTimeOffset? Oldest) _pending;

    public TableReplicatorActor(
        SyncDefinition sync, IConnectionLeaser leaser, IActorRef listener, SyncHealth health, EngineSettings settings, ILoggerFactory loggerFactory,
        ActorSyncMetrics metrics, IActorRef? groups = null)
    {
        _groups = groups;
        _metrics = metrics;
        _sync = sync;
        _held = new HeldConnections(leaser, sync);
        _leaser = leaser;
        _listener = listener;
        _health = health;
        _settings = settings;
        _logger = loggerFactory.CreateLogger<TableReplicatorActor>();

        Receive<Start>(_ => StartWork());
        Receive<Prepared>(OnPrepared);
        // A block body: an expression lambda whose value is a bool (an assignment, here) picks Receive's Func<T, bool>
        // overload, and its false leaves the message unhandled (issue 17).
        Receive<SnapshotUnderway>(_ =>
        {
            _health.ResyncRequested = false;
        });
        Receive<SnapshotDone>(OnSnapshotDone);
        Receive<BatchDone>(OnBatchDone);
        Receive<ArmAnswered>(OnArmAnswered);
        Receive<Rechecked>(OnRechecked);
        Receive<WorkFailed>(failed =>
        {
            if (failed.Error is Npgsql.PostgresException { SqlState: "57014" } && failed.BatchLimit > 1)
            {
                // Cancelled by the apply timeout: the retry takes a smaller batch rather than the same one forever.
                _health.BatchLimit = failed.BatchLimit / 2;
            }

            throw new SyncFailedException(_sync.Name, failed.Error);
        });
        Receive<ChangesPending>(_ =>
        {
            _armed = false; // the listener released the lock before forwarding the wake-up
            RequestDrain();
        });
        Receive<CatchUpNeeded>(_ =>
        {
            _armed = false; // a (re)connected listener holds no locks
            RequestDrain();
        });
        Receive<PollDue>(due =>
        {
            if (due.Token == _pollToken)
            {
                RequestDrain();
            }
        });
        Receive<PendingRefreshDue>(_ => RefreshPending());
        Receive<SchemaCheckDue>(_ => CheckSchema());
        Receive<SchemaChecked>(OnSchemaChecked);
        Receive<PendingRefreshed>(refreshed =>
        {
            _refreshingPending = false;
            _pending = (refreshed.Count, refreshed.Oldest);
            if (refreshed.Read)
            {
                _health.Lag.Observed(refreshed.Count, refreshed.Oldest);
            }

            RecordPending();
        });
        Receive<SnapshotLogDue>(_ => LogSnapshotProgress());
        Receive<PauseRequested>(_ => OnPause());
        Receive<ResumeRequested>(_ => OnResume());
        Receive<ResyncRequested>(_ => OnResync());
        Receive<DeadLettersRequested>(OnDeadLettersRequested);
        Receive<DeadLettersDone>(OnDeadLettersDone);
        Receive<SyncStatusRequested>(_ => Sender.Tell(Report()));
        ReceiveGroupMessages();
        ReceiveWal();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        var delay = _health.History.NextDelay(_settings.Backoff);
        _state = delay > TimeSpan.Zero ? SyncStates.Failing : SyncStates.Starting;
        Timers.StartSingleTimer("start", Start.Instance, delay);
        Timers.StartPeriodicTimer("pending", PendingRefreshDue.Instance, PendingRefreshInterval);
        Timers.StartPeriodicTimer("schema", SchemaCheckDue.Instance, _settings.SchemaCheckInterval);
    }

    protected override void PreRestart(Exception reason, object? message)
    {
        ReturnWalInFlight();
        _health.History.RecordFailure(reason);
        _health.Lag.Failed();
        _metrics.Restarted(_sync.Name);
        LogMessages.SyncFailing(
            _logger, _sync.Name, _health.History.ConsecutiveFailures, _health.History.NextDelay(_settings.Backoff),
            _health.History.LastError!.Message);
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        ReleaseConnections();
        if (_armed)
        {
            _listener.Tell(new WakeUpNotWanted(_sync.SqlName));
        }

        _stopping.Dispose();
    }

    private void StartWork()
    {
        _state = _health.History.ConsecutiveFailures > 0 ? SyncStates.Failing : SyncStates.Starting;
        _busy = true;
        PrepareAsync(_stopping.Token).PipeTo(Self, success: p => p, failure: e => new WorkFailed(e));
    }

    private void OnPrepared(Prepared prepared)
    {
        _busy = false;
        _plan = prepared.Plan;
        _paused = prepared.Paused;
        _needsSnapshot = prepared.NeedsSnapshot;
        if (prepared.WalRowsFrom is { } walRowsFrom && !prepared.NeedsSnapshot)
        {
            _walFence.StartAt(walRowsFrom); // decoded rows from here on are newer than anything on the target
        }
        _health.DeadLetters = prepared.DeadLetters;
        JoinGroup(prepared.Group);
        _metrics.DeadLetters(_sync.Name, prepared.DeadLetters);
        LogMessages.SyncStarted(_logger, _sync.Name, _sync.Source.ToString(), _sync.Target.ToString());
        Continue();
    }

    /// <summary>Decides what to do next once nothing is running: resync, snapshot, pause or drain.</summary>
    private void Continue()
    {
        if (_health.ResyncRequested || (_needsSnapshot && !_paused))
        {
            if (!CopyGranted())
            {
                return; // a group member copies once the members before it stream (GroupCopyGranted)
            }

            BeginSnapshot(force: _health.ResyncRequested);
        }
        else if (_paused || _heldReason is not null)
        {
            _state = SyncStates.Paused;
            ReleaseWakeUp();
        }
        else
        {
            _state = SyncStates.Streaming;
            _groupApplier?.Tell(new GroupMemberStreaming(_sync.Name, _plan!, _health.DeadLetters));
            RequestDrain();
        }
    }

    private void BeginSnapshot(bool force)
    {
        ReleaseConnections();
        _busy = true;
        _state = SyncStates.Snapshotting;
        _snapshot = new SnapshotProgress();
        _walFence.Reset(); // the copy's rows are as new as its snapshots: decoded rows wait for its fence
        ReleaseWakeUp();
        Timers.StartPeriodicTimer("snapshot-log", SnapshotLogDue.Instance, SnapshotLogInterval);
        SnapshotAsync(_plan!, _snapshot, force, _stopping.Token).PipeTo(Self, success: d => d, failure: e => new WorkFailed(e));
    }

    private void OnSnapshotDone(SnapshotDone done)
    {
        _busy = false;
        _needsSnapshot = false;
        Timers.Cancel("snapshot-log");
        if (done.Outcome != SnapshotRunner.Outcome.AlreadyDone)
        {
            LogMessages.SnapshotFinished(_logger, _sync.Name, _snapshot!.RowsCopied, done.Elapsed.TotalSeconds);
        }

        _snapshot = null;
        _copyGranted = false;
        if (done.WalRowsFrom is { } walRowsFrom)
        {
            _walFence.StartAt(walRowsFrom); // decoded rows from transactions after the copy's snapshots are newer than it
        }

        _caughtUpLogged = false;
        RecordSuccess();
        Continue();
    }

    /// <summary>Applies the next batch now, or right after the one running (wake-ups are coalesced).</summary>
    private void RequestDrain()
    {
        if (IsWal)
        {
            ContinueWal();
            return;
        }

        if (_busy)
        {
            _wakeRequested = true;
            return;
        }

        if (_plan is null || _paused || _state is SyncStates.Snapshotting)
        {
            return;
        }

        _busy = true;
        _wakeRequested = false;
        if (_state != SyncStates.Idle)
        {
            _state = SyncStates.Streaming;
        }

        CancelPoll();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var limit = Math.Min(_sync.BatchSize, _health.BatchLimit ?? int.MaxValue);
        if (_groupApplier is not null)
        {
            AskGroupBatch(limit, clock);
            return;
        }

        ApplyBatchAsync(_plan, _held, limit, _health.DeadLetters > 0, _stopping.Token).PipeTo(
            Self, success: r => new BatchDone(r, clock.Elapsed, limit), failure: e => new WorkFailed(e, limit));
    }

    private void OnBatchDone(BatchDone done)
    {
        _busy = false;
        var result = done.Result;
        if (!result.IsEmpty)
        {
            // Changes are coming: the next look that finds nothing and cannot arm starts quick again. Without this, a
            // busy table whose writers are always in flight backed off further at every empty look, up to the poll
            // interval, and its changes waited that long.
            _quickPoll = FirstQuickPoll;
            _health.BatchLimit = null;
            _state = SyncStates.Streaming;
            RecordApplied(result, done.Elapsed);
            if (_armed)
            {
                // Found work while armed (a poll): writers need not notify while we are busy.
                ReleaseWakeUp();
            }
        }

        RecordSuccess();
        if (_schemaChanged)
        {
            _schemaChanged = false;
            ReleaseWakeUp();
            StartWork();
        }
        else if (_health.ResyncRequested || _paused)
        {
            Continue();
        }
        else if (!result.IsEmpty && result.DeltaRows < done.Limit && _sync.BatchDelay > TimeSpan.Zero)
        {
            // Changes keep coming but there is no backlog: let them gather for a moment (batch-delay).
            SchedulePoll(_sync.BatchDelay);
        }
        else if (!result.IsEmpty || _wakeRequested)
        {
            RequestDrain();
        }
        else
        {
            _listener.Ask<WakeUpArmed>(new WakeUpWanted(_sync.SqlName), _settings.ListenerAskTimeout, _stopping.Token)
                .PipeTo(Self, success: a => new ArmAnswered(a.Armed), failure: _ => new ArmAnswered(false));
            _busy = true;
        }
    }

    /// <summary>Counts a batch that applied changes: health, dead letters, metrics, pending, the log.</summary>
    private void RecordApplied(BatchResult result, TimeSpan elapsed)
    {
        _health.RecordBatch(result);
        if (result.DeadLetters is { } deadLetters)
        {
            _health.DeadLetters = deadLetters;
            _metrics.DeadLetters(_sync.Name, deadLetters);
        }

        if (result.DeadLettered > 0)
        {
            LogMessages.KeysDeadLettered(_logger, _sync.Name, result.DeadLettered, _health.DeadLetters);
        }

        _metrics.BatchApplied(_sync.Name, result, elapsed);
        _pending = (Math.Max(0, _pending.Count - result.DeltaRows), _pending.Oldest);
        // "Caught up" is news after a start, a copy or a real backlog, not after every small batch under load.
        _caughtUpLogged &= result.DeltaRows < BatchApplier.SmallBatchRows;
        LogMessages.BatchApplied(_logger, _sync.Name, result.DeltaRows, result.Upserted, result.Deleted, result.Truncated ? ", target truncated" : "");
    }

    private void OnArmAnswered(ArmAnswered answer)
    {
        _busy = false;
        if (_wakeRequested || _paused || _health.ResyncRequested)
        {
            _armed = answer.Armed;
            Continue();
            return;
        }

        if (!answer.Armed)
        {
            // A writer that saw us busy is still in flight (or the listener is away): poll again soon.
            SchedulePoll(_quickPoll);
            if (_quickPoll > TimeSpan.FromMilliseconds(50))
            {
                ReleaseConnections();
            }

            _quickPoll = TimeSpan.FromTicks(Math.Min(_quickPoll.Ticks * 2, _sync.PollInterval.Ticks));
            return;
        }

        // Armed: every writer from now on notifies. One more look catches what committed before the lock was ours.
        _armed = true;
        _busy = true;
        HasPendingAsync(_plan!, _held, _stopping.Token).PipeTo(Self, success: has => new Rechecked(has), failure: e => new WorkFailed(e));
    }

    private void OnRechecked(Rechecked rechecked)
    {
        _busy = false;
        if (rechecked.HasPending || _wakeRequested)
        {
            RequestDrain();
            return;
        }

        _state = SyncStates.Idle;
        ReleaseConnections();
        _pending = (0, null);
        _health.Lag.Observed(0, null);
        RecordPending();
        _quickPoll = FirstQuickPoll;
        if (!_caughtUpLogged)
        {
            _caughtUpLogged = true;
            LogMessages.CaughtUp(_logger, _sync.Name);
        }

        SchedulePoll(_sync.PollInterval, periodic: true);
    }

    private void RecordPending()
    {
        _metrics.Pending(_sync.Name, Report().PendingRows);
    }

    private void CheckSchema()
    {
        if (_plan is { } plan && !_checkingSchema && _state is SyncStates.Streaming or SyncStates.Idle or SyncStates.Paused)
        {
            _checkingSchema = true;
            SourceColumnsChangedAsync(plan, _stopping.Token).PipeTo(Self, success: c => new SchemaChecked(c), failure: e => new WorkFailed(e));
        }
    }

    private void OnSchemaChecked(SchemaChecked checkedSchema)
    {
        _checkingSchema = false;
        if (!checkedSchema.Changed)
        {
            return;
        }

        // Prepare again: it compares the columns with the stored ones and fails or follows the change (on-schema-change).
        if (_busy)
        {
            _schemaChanged = true;
        }
        else
        {
            ReleaseWakeUp();
            StartWork();
        }
    }

    /// <summary>Gives the held leases back (only while no task runs: the actor is between tasks when it calls this).</summary>
    private void ReleaseConnections()
    {
        var held = _held;
        _held = new HeldConnections(_leaser, _sync);
        _ = held.DisposeAsync().AsTask();
    }

    private void ReleaseWakeUp()
    {
        if (_armed)
        {
            _armed = false;
            _listener.Tell(new WakeUpNotWanted(_sync.SqlName));
        }

        CancelPoll();
    }

    /// <summary>
    /// Looks at the delta again after <paramref name="delay"/>. Akka's scheduler ticks every 10 ms
    /// (<c>akka.scheduler.tick-duration</c>, which it will not take below 10 ms) and fires a timer at the first tick past
    /// its deadline, so a 5 ms quick poll or the 10 ms batch delay on it fired after 10 to 20 ms (measured: +5 ms at the
    /// median of <c>engine lag</c>). A delay of a few ticks comes back instead as a message from a .NET timer task (about
    /// a millisecond's resolution). Only the latest poll counts: <see cref="CancelPoll"/> and every new one make the
    /// others stale.
    /// </summary>
    private void SchedulePoll(TimeSpan delay, bool periodic = false)
    {
        CancelPoll();
        var token = Interlocked.Increment(ref _pollTokens);
        _pollToken = token;
        if (periodic)
        {
            Timers.StartPeriodicTimer("poll", new PollDue(token), delay);
        }
        else if (delay < _schedulerTick * ShortPollTicks)
        {
            Task.Delay(delay).PipeTo(Self, success: () => new PollDue(token));
        }
        else
        {
            Timers.StartSingleTimer("poll", new PollDue(token), delay);
        }
    }

    private void CancelPoll()
    {
        _pollToken = 0;
        Timers.Cancel("poll");
    }

    private void RecordSuccess()
    {
        _health.Lag.Recovered();
        var failures = _health.History.ConsecutiveFailures;
        if (failures > 0)
        {
            _health.History.RecordSuccess();
            LogMessages.SyncRecovered(_logger, _sync.Name, failures);
        }
    }

    private void LogSnapshotProgress()
    {
        if (_snapshot is { } progress)
        {
            LogMessages.SnapshotProgress(
                _logger, _sync.Name, progress.RowsCopied, progress.RowsEstimated, progress.RowsPerSecond,
                progress.Eta is { } eta ? eta.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : "unknown");
        }
    }
}
