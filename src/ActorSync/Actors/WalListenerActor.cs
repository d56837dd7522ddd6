using ActorSync.Capture;
using ActorSync.Configuration;
using ActorSync.Listening;
using ActorSync.Logging;
using ActorSync.Metrics;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace ActorSync.Actors;

/// <summary>
/// The listener of a source database with <c>capture-mode = wal</c> (DESIGN.md, "WAL capture"): owns its replication
/// connection. On connect it makes sure of the publication (exactly the synced tables) and the slot, then streams the
/// slot from its confirmed position and sends each chunk's keys to the replicators of their syncs as
/// <see cref="WalKeys"/>. The next chunk goes out only when every part of this one is answered, and the slot's confirmed
/// position moves to the chunk's last transaction end only then, never past a position a sync holds back (keys in its
/// backlog). A lost connection ends the incarnation; the guardian restarts it, and after the backoff it streams again
/// from the confirmed position: whatever was not confirmed is applied again, harmlessly.
/// </summary>
public sealed class WalListenerActor : ReceiveActor, IWithTimers
{
    /// <summary>
    /// The most keys one chunk holds, whatever the batch size: a chunk's keys are in memory (text), and while one chunk
    /// is applied the next is decoded, so a large transaction's decoding and applying overlap.
    /// </summary>
    public const int MaxChunkKeys = 100_000;

    private readonly string _database;
    private readonly string _connectionString;
    private readonly IReadOnlyList<SyncDefinition> _syncs;
    private readonly IReadOnlyDictionary<string, WalBacklog> _backlogs;
    private readonly SyncDirectory _directory;
    private readonly ListenerHealth _health;
    private readonly BackoffSettings _backoff;
    private readonly ILogger _logger;
    private readonly ActorSyncMetrics _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, NpgsqlLogSequenceNumber> _holds = new(StringComparer.Ordinal);
    // The chunks sent and not yet applied by every sync, in stream order; the slot's position moves past a chunk only
    // once it and every chunk before it are done.
    private readonly LinkedList<Outstanding> _outstanding = [];
    private WalStream? _stream;
    private CancellationTokenSource? _streaming;
    private NpgsqlLogSequenceNumber _acked;

    public WalListenerActor(
        string database, string connectionString, IReadOnlyList<SyncDefinition> syncs, IReadOnlyDictionary<string, WalBacklog> backlogs,
        SyncDirectory directory, ListenerHealth health, BackoffSettings backoff, ILoggerFactory loggerFactory, ActorSyncMetrics metrics)
    {
        _database = database;
        _connectionString = connectionString;
        _syncs = syncs;
        _backlogs = backlogs;
        _directory = directory;
        _health = health;
        _backoff = backoff;
        _metrics = metrics;
        _logger = loggerFactory.CreateLogger<WalListenerActor>();

        Receive<Connect>(_ => ConnectAsync(_stopping.Token)
            .PipeTo(Self, success: c => c, failure: error => new StreamFailed(null, error)));
        Receive<Connected>(OnConnected);
        Receive<StreamFailed>(failed => failed.Stream is null || failed.Stream == _stream, failed => throw new ListenerConnectionException(_database, failed.Error));
        Receive<StreamFailed>(_ => { });
        Receive<ChunkReady>(ready => ready.Stream == _stream?.Id, OnChunkReady);
        Receive<ChunkReady>(ready => ready.Done.TrySetCanceled());
        Receive<WalKeysTaken>(OnKeysTaken);
        Receive<IdleAt>(idle => idle.Stream == _stream?.Id && _outstanding.Count == 0, idle =>
        {
            _acked = Max(_acked, idle.Lsn);
            Confirm();
        });
        Receive<IdleAt>(_ => { });
        Receive<WalHoldReleased>(released =>
        {
            _holds.Remove(released.Sync);
            Confirm();
        });
        Receive<WalReplayNeeded>(OnReplayNeeded);
        Receive<ConfirmFailed>(failed => failed.Error is not null && failed.Stream == _stream?.Id, failed => throw new ListenerConnectionException(_database, failed.Error!));
        Receive<ConfirmFailed>(_ => { });
        Receive<WakeUpWanted>(_ => Sender.Tell(new WakeUpArmed(false)));
        Receive<WakeUpNotWanted>(_ => { });
        Receive<ListenerStatusRequested>(_ => Sender.Tell(new ListenerStatus(
            _database, _stream is not null, _health.LastNotificationAt, _health.Reconnects, _health.History.LastError?.Message)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        // A sync that held keys before this incarnation (a restart) keeps the slot where it is until it releases them.
        foreach (var (sync, backlog) in _backlogs)
        {
            if (backlog.Held)
            {
                _holds[sync] = default;
            }
        }

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
        StopStreaming();
        _stopping.Dispose();
    }

    private async Task<Connected> ConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false, ApplicationName = "actorsync-wal-setup" };
        List<WalRoute> routes = [];
        WalInstallResult installed;
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            installed = await WalInstaller.EnsureAsync(connection, _database, _syncs.Select(s => s.Source).ToArray(), exact: true, cancellationToken);
            foreach (var sync in _syncs)
            {
                var key = sync.Key ?? await PrimaryKeyAsync(connection, sync.Source, cancellationToken);
                // A sync without a where filter (and not set to wal-apply = reread) takes the decoded rows: the replicator may apply them without a source read.
                routes.Add(new WalRoute(sync.SqlName, sync.Source.Schema, sync.Source.Table, key, Rows: sync.AppliesDecodedRows && sync.Where is null));
            }
        }

        var stream = await WalStream.OpenAsync(_connectionString, _database, routes, cancellationToken);
        return new Connected(stream, routes.Count, installed);
    }

    private static async Task<IReadOnlyList<string>> PrimaryKeyAsync(NpgsqlConnection connection, TableName table, CancellationToken cancellationToken)
    {
        // No primary key: the sync's plan fails on its own with the reason; its changes have no key to route.
        await using var command = new NpgsqlCommand(
            "SELECT a.attname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) " +
            "WHERE i.indrelid = pg_catalog.to_regclass($1) AND i.indisprimary ORDER BY pg_catalog.array_position(i.indkey::int2[], a.attnum)",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.QuotedName });
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private void OnConnected(Connected connected)
    {
        _stream = connected.Stream;
        _streaming = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        if (_health.EverConnected)
        {
            _health.Reconnects++;
            _metrics.ListenerReconnected(_database);
        }

        _health.EverConnected = true;
        _health.History.RecordSuccess();
        var installed = connected.Installed;
        LogMessages.WalStreaming(
            _logger, _database, WalNames.Slot(_database), WalNames.Publication(_database), connected.Tables,
            (installed.PublicationCreated ? "; publication created" : installed.PublicationChanged ? "; publication altered" : "") +
            (installed.SlotCreated ? "; slot created" : ""));

        var self = Self;
        var stream = connected.Stream;
        var chunkKeys = Math.Clamp(_syncs.Max(s => s.BatchSize), 1, MaxChunkKeys);
        stream.RunAsync(
                chunkKeys,
                chunk =>
                {
                    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    self.Tell(new ChunkReady(stream.Id, chunk, done));
                    return done.Task;
                },
                lsn => self.Tell(new IdleAt(stream.Id, lsn)),
                _streaming.Token)
            .PipeTo(self, success: () => new StreamFailed(stream, new InvalidOperationException("the stream stopped")), failure: e => new StreamFailed(stream, e));
        foreach (var replicator in _directory.ReplicatorsOf(_database))
        {
            replicator.Tell(CatchUpNeeded.Instance);
        }
    }

    private void OnChunkReady(ChunkReady ready)
    {
        _health.LastNotificationAt = DateTimeOffset.UtcNow;
        var outstanding = new Outstanding(ready.Chunk, ready.Done);
        _outstanding.AddLast(outstanding);
        foreach (var (sync, keys) in ready.Chunk.Parts)
        {
            if (_directory.Replicator(sync) is { } replicator)
            {
                outstanding.Waiting.Add(sync);
                replicator.Tell(new WalKeys(ready.Stream, ready.Chunk.Id, sync, keys));
            }
        }

        CompleteDone();
    }

    private void OnKeysTaken(WalKeysTaken taken)
    {
        var outstanding = taken.Stream == _stream?.Id ? _outstanding.FirstOrDefault(o => o.Chunk.Id == taken.Chunk) : null;
        if (outstanding is null || !outstanding.Waiting.Remove(taken.Sync))
        {
            return; // an answer for a stream or chunk before a reconnect: that chunk comes again
        }

        if (taken.Held && !_holds.ContainsKey(taken.Sync))
        {
            // The sync holds these keys unapplied: the slot stays at most where every chunk before was applied.
            _holds[taken.Sync] = _acked;
        }

        CompleteDone();
    }

    /// <summary>Lets the slot move past the chunks at the head that every sync has answered.</summary>
    private void CompleteDone()
    {
        var completed = false;
        while (_outstanding.First is { Value: { Waiting.Count: 0 } head })
        {
            _outstanding.RemoveFirst();
            if (head.Chunk.ConfirmLsn is { } lsn)
            {
                _acked = Max(_acked, lsn);
            }

            head.Done.TrySetResult();
            completed = true;
        }

        if (completed)
        {
            Confirm();
        }
    }

    private void Confirm()
    {
        if (_stream is not { } stream)
        {
            return;
        }

        var position = _holds.Count == 0 ? _acked : Min(_acked, _holds.Values.Min());
        if (position > stream.Confirmed)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                LogMessages.WalConfirm(_logger, _database, position.ToString(), _acked.ToString(), string.Join(", ", _holds.Select(h => $"{h.Key} at {h.Value}")));
            }

            var self = Self;
            stream.ConfirmAsync(position, _stopping.Token)
                .PipeTo(self, success: () => ConfirmFailed.None, failure: e => new ConfirmFailed(stream.Id, e));
        }
    }

    private void OnReplayNeeded(WalReplayNeeded replay)
    {
        _holds.Remove(replay.Sync);
        LogMessages.WalReplay(_logger, _database, replay.Sync);
        StopStreaming();
        Self.Tell(Connect.Instance);
    }

    private void StopStreaming()
    {
        foreach (var outstanding in _outstanding)
        {
            outstanding.Done.TrySetCanceled();
        }

        _outstanding.Clear();
        _acked = default;
        // Cancelling ends the stream's run, which closes its connection itself (never while a read is pending).
        _streaming?.Cancel();
        _streaming?.Dispose();
        _streaming = null;
        _stream = null;
    }

    private static NpgsqlLogSequenceNumber Max(NpgsqlLogSequenceNumber a, NpgsqlLogSequenceNumber b) => a > b ? a : b;

    private static NpgsqlLogSequenceNumber Min(NpgsqlLogSequenceNumber a, NpgsqlLogSequenceNumber b) => a < b ? a : b;

    private sealed class Outstanding(WalChunk chunk, TaskCompletionSource done)
    {
        public WalChunk Chunk { get; } = chunk;

        public TaskCompletionSource Done { get; } = done;

        public HashSet<string> Waiting { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Connect
    {
        public static readonly Connect Instance = new();
    }

    private sealed record Connected(WalStream Stream, int Tables, WalInstallResult Installed);

    private sealed record StreamFailed(WalStream? Stream, Exception Error);

    private sealed record ChunkReady(long Stream, WalChunk Chunk, TaskCompletionSource Done);

    private sealed record IdleAt(long Stream, NpgsqlLogSequenceNumber Lsn);

    private sealed record ConfirmFailed(long Stream, Exception? Error)
    {
        public static readonly ConfirmFailed None = new(0, null);
    }
}
