using System.Collections.Concurrent;
using ActorSync.Capture;
using Npgsql;

namespace ActorSync.Listening;

/// <summary>
/// The two connections the listener owns on one source database. The listen connection only waits for
/// <c>NOTIFY actorsync</c>; the lock connection holds the wake-up advisory locks of idle syncs (see
/// <c>db/capture/wake.sql</c>) and answers arm and disarm requests at once, even while the other one waits. Both are
/// checked with a keep-alive query, so a dead connection (server gone, backend terminated) is noticed; when either
/// dies, the locks go with it and the listener must reconnect and tell every replicator to catch up.
/// </summary>
public sealed class NotificationChannel : IAsyncDisposable
{
    /// <summary>The channel every capture trigger notifies.</summary>
    public const string Channel = "actorsync";

    private readonly NpgsqlConnection _listen;
    private readonly NpgsqlConnection _locks;
    private readonly ConcurrentQueue<string> _received = new();
    private readonly HashSet<string> _armed = new(StringComparer.Ordinal);

    private NotificationChannel(NpgsqlConnection listen, NpgsqlConnection locks)
    {
        _listen = listen;
        _locks = locks;
        _listen.Notification += (_, e) => _received.Enqueue(e.Payload);
    }

    /// <summary>The syncs whose wake-up lock is held (their replicator waits for a notification).</summary>
    public IReadOnlyCollection<string> Armed => _armed;

    /// <summary>Opens both connections and starts listening.</summary>
    public static async Task<NotificationChannel> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Not pooled: these connections live as long as the listener, and a broken one must really go away.
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = "actorsync-listener",
            CommandTimeout = 15,
            TcpKeepAlive = true,
        };
        var listen = new NpgsqlConnection(builder.ConnectionString);
        var locks = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await listen.OpenAsync(cancellationToken);
            await locks.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"LISTEN {Channel}", listen);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new NotificationChannel(listen, locks);
        }
        catch
        {
            await listen.DisposeAsync();
            await locks.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits up to <paramref name="keepAlive"/> for notifications and returns their payloads (sync names, possibly
    /// repeated). When nothing arrives, runs a keep-alive query on the listen connection: a dead connection throws.
    /// Only one caller may wait at a time.
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitAsync(TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        if (_received.IsEmpty && !await _listen.WaitAsync(keepAlive, cancellationToken))
        {
            await using var ping = new NpgsqlCommand("SELECT 1", _listen);
            await ping.ExecuteScalarAsync(cancellationToken);
        }

        var payloads = new List<string>();
        while (_received.TryDequeue(out var payload))
        {
            payloads.Add(payload);
        }

        return payloads;
    }

    /// <summary>
    /// Takes the sync's wake-up lock: from now on writers notify. False while a writer transaction that saw the lock
    /// free is still open: the replicator must poll again, that writer's changes are not visible yet.
    /// </summary>
    public async Task<bool> TryArmAsync(string sync, CancellationToken cancellationToken)
    {
        if (_armed.Contains(sync))
        {
            return true;
        }

        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", _locks);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CaptureScript.LockClass });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CaptureScript.LockKey(sync) });
        var armed = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (armed)
        {
            _armed.Add(sync);
        }

        return armed;
    }

    /// <summary>Releases the sync's wake-up lock (its replicator is busy): writers stop notifying.</summary>
    public async Task DisarmAsync(string sync, CancellationToken cancellationToken)
    {
        if (!_armed.Remove(sync))
        {
            return;
        }

        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", _locks);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CaptureScript.LockClass });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CaptureScript.LockKey(sync) });
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>Keep-alive of the lock connection; throws when it is dead.</summary>
    public async Task PingLocksAsync(CancellationToken cancellationToken)
    {
        await using var ping = new NpgsqlCommand("SELECT 1", _locks);
        await ping.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>The backend PIDs of both connections (for tests that terminate them).</summary>
    public (int Listen, int Locks) BackendProcessIds => (_listen.ProcessID, _locks.ProcessID);

    public async ValueTask DisposeAsync()
    {
        await _listen.DisposeAsync();
        await _locks.DisposeAsync();
    }
}
