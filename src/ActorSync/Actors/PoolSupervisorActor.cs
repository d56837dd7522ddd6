using ActorSync.Configuration;
using ActorSync.Logging;
using ActorSync.Metrics;
using ActorSync.Pools;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ActorSync.Actors;

/// <summary>
/// Holds one <see cref="NpgsqlDataSource"/> per configured database and role (gDBPool's read and write pools) and
/// lends leases in answer to <see cref="LeaseRequested"/>, at most <c>max-connections</c> per pool at a time; others
/// wait in order. A lease returned as broken makes it rebuild that data source, so connections that died with a
/// restarted server are not handed out again.
/// </summary>
public sealed class PoolSupervisorActor : ReceiveActor
{
    private readonly Dictionary<(string Database, ConnectionRole Role), Pool> _pools = [];
    private readonly ILogger _logger;
    private readonly ActorSyncMetrics _metrics;

    public PoolSupervisorActor(IReadOnlyDictionary<string, DatabaseOptions> databases, ILoggerFactory loggerFactory, ActorSyncMetrics metrics)
    {
        _logger = loggerFactory.CreateLogger<PoolSupervisorActor>();
        _metrics = metrics;
        foreach (var (name, options) in databases)
        {
            foreach (var role in Enum.GetValues<ConnectionRole>())
            {
                _pools[(name, role)] = new Pool(name, role, options, loggerFactory);
            }
        }

        Receive<LeaseRequested>(OnLeaseRequested);
        Receive<LeaseReturned>(returned => Release(returned.Database, returned.Role, returned.RequestId, returned.Broken));
        Receive<LeaseAbandoned>(abandoned => Abandon(abandoned));
        Receive<PoolStatusRequested>(_ => Sender.Tell(
            _pools.Values.Select(p => new PoolStatus(p.Database, p.Role.ToString().ToLowerInvariant(), p.Leased.Count, p.Max, p.Waiting.Count)).ToArray()));
    }

    protected override void PreStart()
    {
        foreach (var pool in _pools.Values)
        {
            Record(pool);
        }
    }

    protected override void PostStop()
    {
        foreach (var pool in _pools.Values)
        {
            pool.DataSource.Dispose();
        }
    }

    private void OnLeaseRequested(LeaseRequested request)
    {
        if (!_pools.TryGetValue((request.Database, request.Role), out var pool))
        {
            Sender.Tell(new Status.Failure(new InvalidOperationException($"No database named '{request.Database}' is configured.")));
            return;
        }

        if (pool.Leased.Count < pool.Max)
        {
            Grant(pool, request.RequestId, Sender);
            Record(pool);
        }
        else
        {
            pool.Waiting.Enqueue((request.RequestId, Sender));
        }
    }

    private void Release(string database, ConnectionRole role, long requestId, bool broken)
    {
        if (!_pools.TryGetValue((database, role), out var pool) || !pool.Leased.Remove(requestId))
        {
            return;
        }

        if (broken)
        {
            LogMessages.RebuildingDataSource(_logger, database, role.ToString().ToLowerInvariant());
            pool.Rebuild();
        }

        while (pool.Leased.Count < pool.Max && pool.Waiting.TryDequeue(out var next))
        {
            Grant(pool, next.RequestId, next.Requester);
        }

        Record(pool);
    }

    private void Record(Pool pool) => _metrics.Pool(pool.Database, pool.Role.ToString().ToLowerInvariant(), pool.Leased.Count, pool.Max);

    private void Abandon(LeaseAbandoned abandoned)
    {
        if (!_pools.TryGetValue((abandoned.Database, abandoned.Role), out var pool))
        {
            return;
        }

        var kept = pool.Waiting.Where(w => w.RequestId != abandoned.RequestId).ToArray();
        if (kept.Length != pool.Waiting.Count)
        {
            pool.Waiting.Clear();
            foreach (var waiter in kept)
            {
                pool.Waiting.Enqueue(waiter);
            }

            return;
        }

        // Granted while the requester gave up: the grant went to a dead ask, take the lease back.
        Release(abandoned.Database, abandoned.Role, abandoned.RequestId, broken: false);
    }

    private static void Grant(Pool pool, long requestId, IActorRef requester)
    {
        pool.Leased.Add(requestId);
        requester.Tell(new LeaseGranted(requestId, pool.DataSource));
    }

    private sealed class Pool(string database, ConnectionRole role, DatabaseOptions options, ILoggerFactory loggerFactory)
    {
        public string Database { get; } = database;

        public ConnectionRole Role { get; } = role;

        public int Max { get; } = Math.Max(1, options.MaxConnections);

        public HashSet<long> Leased { get; } = [];

        public Queue<(long RequestId, IActorRef Requester)> Waiting { get; } = new();

        public NpgsqlDataSource DataSource { get; private set; } = Build(database, options, role, loggerFactory);

        public void Rebuild()
        {
            // Leases still out keep their connections; closing them later closes them for good.
            var old = DataSource;
            DataSource = Build(Database, options, Role, loggerFactory);
            old.Dispose();
        }

        private static NpgsqlDataSource Build(string database, DatabaseOptions options, ConnectionRole role, ILoggerFactory loggerFactory)
        {
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
            PoolConnectionSettings.Apply(builder.ConnectionStringBuilder, options, role);
            builder.UseLoggerFactory(loggerFactory);

            // Npgsql's metrics and spans name the pool by this, not by its connection string (host, user): issue 21.
            builder.Name = database + "/" + role.ToString().ToLowerInvariant();
            return builder.Build();
        }
    }
}
