using ActorSync.Pools;
using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>Leases straight from data sources by database name, counting what is out (tests of code that leases).</summary>
public sealed class DataSourceLeaser(IReadOnlyDictionary<string, NpgsqlDataSource> databases) : IConnectionLeaser
{
    private int _outstanding;

    public int Outstanding => Volatile.Read(ref _outstanding);

    public async ValueTask<ConnectionLease> LeaseAsync(string database, ConnectionRole role, CancellationToken cancellationToken)
    {
        var connection = await databases[database].OpenConnectionAsync(cancellationToken);
        Interlocked.Increment(ref _outstanding);
        return new ConnectionLease(connection, database, role, _ =>
        {
            Interlocked.Decrement(ref _outstanding);
            return ValueTask.CompletedTask;
        });
    }
}
