using ActorSync.Pools;
using Akka.Actor;
using Npgsql;

namespace ActorSync.Actors;

/// <summary>
/// Leases connections from the <see cref="PoolSupervisorActor"/> by Ask. Every path returns the lease: a timed-out or
/// cancelled request is abandoned (the pool takes back a grant that arrives too late), a connection that will not
/// open is returned as broken, and the <see cref="ConnectionLease"/> returns itself when disposed.
/// </summary>
public sealed class PoolClient(IActorRef pool, TimeSpan leaseTimeout) : IConnectionLeaser
{
    private static long _nextRequest;

    public async ValueTask<ConnectionLease> LeaseAsync(string database, ConnectionRole role, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextRequest);
        LeaseGranted grant;
        try
        {
            grant = await pool.Ask<LeaseGranted>(new LeaseRequested(database, role, id), leaseTimeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            pool.Tell(new LeaseAbandoned(database, role, id));
            throw new TimeoutException(
                $"No connection to database '{database}' ({role.ToString().ToLowerInvariant()}) became free within {leaseTimeout.TotalSeconds:0} s; " +
                "raise its max-connections or lower snapshot-parallelism.");
        }
        catch
        {
            pool.Tell(new LeaseAbandoned(database, role, id));
            throw;
        }

        NpgsqlConnection connection;
        try
        {
            connection = await grant.DataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception error)
        {
            pool.Tell(new LeaseReturned(database, role, id, Broken: error is not OperationCanceledException));
            throw;
        }

        return new ConnectionLease(connection, database, role, broken =>
        {
            pool.Tell(new LeaseReturned(database, role, id, broken));
            return ValueTask.CompletedTask;
        });
    }
}
