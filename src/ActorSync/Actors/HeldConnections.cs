using ActorSync.Configuration;
using ActorSync.Pools;
using Npgsql;

namespace ActorSync.Actors;

/// <summary>
/// The connections a busy replicator keeps from one batch to the next: leased on first use, given back when it goes
/// idle, pauses, copies or stops. Under steady load this saves every batch two lease round trips and Npgsql's reset of
/// a pooled connection. Used by one batch task at a time; returned by the actor only while no task runs.
/// </summary>
internal sealed class HeldConnections(IConnectionLeaser leaser, SyncDefinition sync) : IAsyncDisposable
{
    private ConnectionLease? _source;
    private ConnectionLease? _target;

    /// <summary>The source connection (the write pool when source and target share a database: it applies too).</summary>
    public async ValueTask<NpgsqlConnection> SourceAsync(CancellationToken cancellationToken)
    {
        _source = await UsableAsync(_source, sync.Source.Database, sync.SameDatabase ? ConnectionRole.Write : ConnectionRole.Read, cancellationToken);
        return _source.Connection;
    }

    /// <summary>The target connection.</summary>
    public async ValueTask<NpgsqlConnection> TargetAsync(CancellationToken cancellationToken)
    {
        _target = await UsableAsync(_target, sync.Target.Database, ConnectionRole.Write, cancellationToken);
        return _target.Connection;
    }

    /// <summary>Gives both leases back.</summary>
    public async ValueTask DisposeAsync()
    {
        var (source, target) = (_source, _target);
        (_source, _target) = (null, null);
        if (source is not null)
        {
            await source.DisposeAsync();
        }

        if (target is not null)
        {
            await target.DisposeAsync();
        }
    }

    private async ValueTask<ConnectionLease> UsableAsync(
        ConnectionLease? held, string database, ConnectionRole role, CancellationToken cancellationToken)
    {
        if (held is { Connection.FullState: System.Data.ConnectionState.Open })
        {
            return held;
        }

        if (held is not null)
        {
            // Broken under us (a failed batch, a restarted server): the lease notices and the pool rebuilds.
            await held.DisposeAsync();
        }

        return await leaser.LeaseAsync(database, role, cancellationToken);
    }
}
