using ActorSync.Capture;
using ActorSync.Logging;
using ActorSync.Metrics;
using ActorSync.Pools;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSync.Actors;

/// <summary>
/// Watches the WAL retained by one WAL source database's replication slot (issue #20), every <c>interval</c> on a
/// pooled read lease: the figure goes to <c>actorsync_slot_retained_bytes</c> and <c>/status</c> (<c>slots</c>), and a
/// warning to the log, <c>/status</c> and <c>health</c> once it passes <c>databases.NAME.slot-retention-warning</c>.
/// Readiness does not depend on it: a large retention is a reason to look, not to stop serving. A failed reading is
/// kept as the last error and retried at the next tick; it says nothing about the data path.
/// </summary>
public sealed class SlotMonitorActor : ReceiveActor, IWithTimers
{
    /// <summary>How often the slot is read unless the engine says otherwise.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly string _database;
    private readonly string _slot;
    private readonly long _warningBytes;
    private readonly IConnectionLeaser _leaser;
    private readonly ActorSyncMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeSpan _interval;
    private SlotMonitor.Retention? _last;
    private DateTimeOffset? _measuredAt;
    private string? _lastError;
    private bool _reading;
    private bool _warned;

    public SlotMonitorActor(
        string database, long warningBytes, IConnectionLeaser leaser, ActorSyncMetrics metrics, ILoggerFactory loggerFactory, TimeSpan? interval = null)
    {
        _database = database;
        _slot = WalNames.Slot(database);
        _warningBytes = warningBytes;
        _leaser = leaser;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger<SlotMonitorActor>();
        _interval = interval ?? DefaultInterval;

        Receive<SlotRetentionDue>(_ => Read());
        Receive<SlotMonitor.Retention>(Measured);
        Receive<SlotReadFailed>(failed =>
        {
            _reading = false;
            if (failed.Error != _lastError)
            {
                LogMessages.SlotReadFailed(_logger, _database, _slot, failed.Error);
            }

            _lastError = failed.Error;
        });
        Receive<SlotStatusRequested>(_ => Sender.Tell(new SlotStatus(
            _database, _slot, _last?.Exists ?? false, _last?.RetainedBytes, _warningBytes, _last?.WalStatus, _measuredAt, Warning(), _lastError)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("read", SlotRetentionDue.Instance, TimeSpan.Zero, _interval);
    }

    protected override void PostStop() => _metrics.SlotRetained(_database, null);

    private void Read()
    {
        if (_reading)
        {
            return; // the last reading is still out (a slow server): one at a time
        }

        _reading = true;
        ReadAsync().PipeTo(Self, failure: error => new SlotReadFailed(ErrorText.Describe(error)));
    }

    private async Task<SlotMonitor.Retention> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(_interval + TimeSpan.FromSeconds(10));
        await using var lease = await _leaser.LeaseAsync(_database, ConnectionRole.Read, timeout.Token);
        return await SlotMonitor.ReadAsync(lease.Connection, _slot, timeout.Token);
    }

    private void Measured(SlotMonitor.Retention retention)
    {
        _reading = false;
        _last = retention;
        _measuredAt = DateTimeOffset.UtcNow;
        _lastError = null;
        _metrics.SlotRetained(_database, retention.RetainedBytes);
        var over = retention.RetainedBytes > _warningBytes;
        if (over && !_warned)
        {
            LogMessages.SlotRetentionHigh(
                _logger, _database, _slot, SlotMonitor.Describe(retention.RetainedBytes!.Value), SlotMonitor.Describe(_warningBytes));
        }
        else if (!over && _warned && retention.RetainedBytes is { } bytes)
        {
            LogMessages.SlotRetentionNormal(_logger, _database, _slot, SlotMonitor.Describe(bytes));
        }

        _warned = over;
    }

    private string? Warning() => _last switch
    {
        { RetainedBytes: { } bytes } when bytes > _warningBytes =>
            $"replication slot {_slot} on database '{_database}' retains {SlotMonitor.Describe(bytes)} of WAL, more than slot-retention-warning ({SlotMonitor.Describe(_warningBytes)}): is the sync keeping up? (see README, \"WAL capture\")",
        { WalStatus: "lost" } =>
            $"replication slot {_slot} on database '{_database}' has lost WAL it needed (max_slot_wal_keep_size): resync the syncs of '{_database}'",
        _ => null,
    };

    private sealed record SlotRetentionDue
    {
        public static readonly SlotRetentionDue Instance = new();
    }

    private sealed record SlotReadFailed(string Error);
}

/// <summary>Asks a <see cref="SlotMonitorActor"/> for its <see cref="SlotStatus"/>.</summary>
public sealed record SlotStatusRequested
{
    public static readonly SlotStatusRequested Instance = new();
}

/// <summary>
/// One WAL source database's slot as last read: whether it exists yet, the WAL it retains (null before the first
/// reading or once lost), the warning threshold, <c>wal_status</c>, when it was read, the warning to show (or null), and
/// why the last reading failed (or null).
/// </summary>
public sealed record SlotStatus(
    string Database, string Slot, bool Exists, long? RetainedBytes, long WarningBytes, string? WalStatus, DateTimeOffset? MeasuredAt, string? Warning,
    string? LastError);
