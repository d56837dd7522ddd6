namespace ActorSync.Pools;

/// <summary>Lends connections by database name and role (the pool supervisor, or a plain data source in tests).</summary>
public interface IConnectionLeaser
{
    /// <summary>Waits for a lease within the database's bound and opens its connection.</summary>
    public ValueTask<ConnectionLease> LeaseAsync(string database, ConnectionRole role, CancellationToken cancellationToken);
}
