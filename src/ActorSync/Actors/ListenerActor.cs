using ActorSync.Configuration;
using ActorSync.Listening;
using ActorSync.Logging;
using ActorSync.Metrics;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSync.Actors;

/// <summary>
/// Owns the LISTEN connection of one source database (DESIGN.md, step 2) and forwards each wake-up as
/// <see cref="ChangesPending"/> to its sync's replicator. Holds the wake-up locks of idle replicators. Every
/// (re)connect tells every replicator of the database to catch up, because notifications sent while it was away are
/// gone — delta rows are not. A dead connection is noticed by a keep-alive query and ends this incarnation; the
/// guardian restarts it and it reconnects after the backoff delay.
/// </summary>
public sealed class ListenerActor : ReceiveActor, IWithTimers
{
    private readonly string _database;
    private readonly string _connectionString;
    private readonly SyncDirectory _directory;
    private readonly ListenerHealth _health;
    private readonly BackoffSettings _backoff;
    private readonly TimeSpan _keepAlive;
    private readonly ILogger _logger;
    private readonly ActorSyncMetrics _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private NotificationChannel? _channel;

    public ListenerActor(
        string database, string connectionString, SyncDirectory directory, ListenerHealth health, BackoffSettings backoff,
        TimeSpan keepAlive, ILoggerFactory loggerFactory, ActorSyncMetrics metrics)
    {
        _metrics = metrics;
        _database = database;
        _connectionString = connectionString;
        _directory = directory;
        _health = health;
        _backoff = backoff;
        _keepAlive = keepAlive;
        _logger = loggerFactory.CreateLogger<ListenerActor>();

        Receive<Connect>(_ => NotificationChannel.OpenAsync(_connectionString, _stopping.Token)
            .PipeTo(Self, success: channel => new Connected(channel), failure: error => new ConnectionLost(null, error)));
        Receive<Connected>(OnConnected);
        Receive<ConnectionLost>(lost => lost.Channel is null || lost.Channel == _channel, lost => throw new ListenerConnectionException(_database, lost.Error));
        Receive<ConnectionLost>(_ => { });
        ReceiveAsync<NotificationsReceived>(n => n.Channel == _channel, OnNotificationsAsync);
        Receive<NotificationsReceived>(_ => { });
        ReceiveAsync<WakeUpWanted>(OnWakeUpWantedAsync);
        ReceiveAsync<WakeUpNotWanted>(async wanted =>
        {
            if (_channel is not null)
            {
                await _channel.DisarmAsync(wanted.Sync, _stopping.Token);
            }
        });
        ReceiveAsync<KeepAliveDue>(async _ =>
        {
            if (_channel is not null)
            {
                await _channel.PingLocksAsync(_stopping.Token);
            }
        });
        Receive<ListenerStatusRequested>(_ => Sender.Tell(new ListenerStatus(
            _database, _channel is not null, _health.LastNotificationAt, _health.Reconnects, _health.History.LastError?.Message)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        var delay = _health.History.NextDelay(_backoff);
        if (delay > TimeSpan.Zero)
        {
            LogMessages.ListenerLost(_logger, _database, _health.History.LastError?.Message ?? "", delay);
        }

        Timers.StartSingleTimer("connect", Connect.Instance, delay);
    }

    protected override void PreRestart(Exception reason, object? message)
    {
        _health.History.RecordFailure(reason);
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        if (_channel is { } channel)
        {
            // Closing the connections releases every wake-up lock: writers stop notifying at once.
            _ = channel.DisposeAsync().AsTask();
        }

        _stopping.Dispose();
    }

    private void OnConnected(Connected connected)
    {
        _channel = connected.Channel;
        if (_health.EverConnected)
        {
            _health.Reconnects++;
            _metrics.ListenerReconnected(_database);
            LogMessages.ListenerReconnected(_logger, _database, _health.Reconnects);
        }
        else
        {
            _health.EverConnected = true;
            LogMessages.ListenerConnected(_logger, _database);
        }

        _health.History.RecordSuccess();
        _ = WaitLoopAsync(connected.Channel, Self, _keepAlive, _stopping.Token);
        Timers.StartPeriodicTimer("keep-alive", KeepAliveDue.Instance, _keepAlive);
        foreach (var replicator in _directory.ReplicatorsOf(_database))
        {
            replicator.Tell(CatchUpNeeded.Instance);
        }
    }

    private async Task OnNotificationsAsync(NotificationsReceived received)
    {
        _health.LastNotificationAt = DateTimeOffset.UtcNow;
        foreach (var sync in received.Payloads.Distinct(StringComparer.Ordinal))
        {
            // The replicator is about to be busy: writers need not notify it any more.
            await _channel!.DisarmAsync(sync, _stopping.Token);
            _directory.Replicator(sync)?.Tell(new ChangesPending(sync));
        }
    }

    private async Task OnWakeUpWantedAsync(WakeUpWanted wanted)
    {
        if (_channel is null)
        {
            Sender.Tell(new WakeUpArmed(false));
            return;
        }

        bool armed;
        try
        {
            armed = await _channel.TryArmAsync(wanted.Sync, _stopping.Token);
        }
        catch
        {
            // The replicator keeps polling; this incarnation ends and reconnects.
            Sender.Tell(new WakeUpArmed(false));
            throw;
        }

        Sender.Tell(new WakeUpArmed(armed));
    }

    private static async Task WaitLoopAsync(NotificationChannel channel, IActorRef self, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var payloads = await channel.WaitAsync(keepAlive, cancellationToken);
                if (payloads.Count > 0)
                {
                    self.Tell(new NotificationsReceived(channel, payloads));
                }
            }
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            self.Tell(new ConnectionLost(channel, error));
        }
        catch (Exception)
        {
            // Stopping: the connection was closed under the wait on purpose.
        }
    }

    private sealed record Connect
    {
        public static readonly Connect Instance = new();
    }

    private sealed record Connected(NotificationChannel Channel);

    private sealed record ConnectionLost(NotificationChannel? Channel, Exception Error);

    private sealed record NotificationsReceived(NotificationChannel Channel, IReadOnlyList<string> Payloads);

    private sealed record KeepAliveDue
    {
        public static readonly KeepAliveDue Instance = new();
    }
}

/// <summary>What a listener remembers across its restarts (its status survives them).</summary>
public sealed class ListenerHealth
{
    public RestartHistory History { get; } = new();

    public bool EverConnected { get; set; }

    public int Reconnects { get; set; }

    public DateTimeOffset? LastNotificationAt { get; set; }
}

/// <summary>The listener lost its connection (or could not open it).</summary>
public sealed class ListenerConnectionException(string database, Exception inner)
    : Exception($"Listener on database '{database}': {ErrorText.Describe(inner)}", inner);
