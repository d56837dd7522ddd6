using ActorSync.Pools;
using Npgsql;

namespace ActorSync.Actors;

/// <summary>Asks the pool supervisor for a lease (answered by <see cref="LeaseGranted"/> once one is free).</summary>
public sealed record LeaseRequested(string Database, ConnectionRole Role, long RequestId);

/// <summary>A lease: the requester opens its connection from <paramref name="DataSource"/> and must return it.</summary>
public sealed record LeaseGranted(long RequestId, NpgsqlDataSource DataSource);

/// <summary>A lease is back; <paramref name="Broken"/> when its connection failed (the data source is rebuilt).</summary>
public sealed record LeaseReturned(string Database, ConnectionRole Role, long RequestId, bool Broken);

/// <summary>The requester gave up waiting (timeout, cancellation): forget the request, or take the grant back.</summary>
public sealed record LeaseAbandoned(string Database, ConnectionRole Role, long RequestId);

/// <summary>Asks the pool supervisor for its figures.</summary>
public sealed record PoolStatusRequested
{
    public static readonly PoolStatusRequested Instance = new();
}

/// <summary>One pool's figures.</summary>
public sealed record PoolStatus(string Database, string Role, int Leased, int Max, int Waiting);
