using Npgsql;

namespace ActorSync.Pools;

/// <summary>
/// An open connection lent by the pool supervisor. Dispose it (<c>await using</c>) on every path: that closes the
/// connection and returns the lease. Mark it broken when the connection failed, so the pool can rebuild its data source.
/// </summary>
public sealed class ConnectionLease : IAsyncDisposable
{
    private readonly Func<bool, ValueTask> _release;
    private int _released;
    private bool _broken;

    public ConnectionLease(NpgsqlConnection connection, string database, ConnectionRole role, Func<bool, ValueTask> release)
    {
        Connection = connection;
        Database = database;
        Role = role;
        _release = release;
    }

    public NpgsqlConnection Connection { get; }

    public string Database { get; }

    public ConnectionRole Role { get; }

    /// <summary>Reports the connection as broken; the pool discards it and rebuilds its data source.</summary>
    public void MarkBroken() => _broken = true;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        // A connection that died under us (server restart, terminated backend) is broken whether or not the user said so.
        _broken |= (Connection.FullState & System.Data.ConnectionState.Broken) != 0;
        try
        {
            if (_broken)
            {
                // Do not return a broken connection to Npgsql's pool.
                NpgsqlConnection.ClearPool(Connection);
            }

            await Connection.DisposeAsync();
        }
        finally
        {
            await _release(_broken);
        }
    }
}
