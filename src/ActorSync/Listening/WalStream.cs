using ActorSync.Capture;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;

namespace ActorSync.Listening;

/// <summary>A synced source table and the key columns its sync reads from each change.</summary>
public sealed record WalRoute(string Sync, string Schema, string Table, IReadOnlyList<string> KeyColumns);

/// <summary>
/// A stretch of decoded WAL ready to apply: the keys of each sync's changes, and the position the slot may confirm
/// once every part (and every chunk before) is committed on its target: the end of the last transaction that ended in
/// it, or null when a large transaction goes on past it.
/// </summary>
public sealed class WalChunk(long id)
{
    public long Id { get; } = id;

    public Dictionary<string, WalKeySet> Parts { get; } = new(StringComparer.Ordinal);

    public NpgsqlLogSequenceNumber? ConfirmLsn { get; set; }

    public int Keys { get; set; }

    public bool HasContent => Parts.Count > 0 || ConfirmLsn is not null;
}

/// <summary>
/// The replication connection of one WAL source database (DESIGN.md, "WAL capture"): streams the slot with pgoutput
/// (protocol 1: whole committed transactions, in commit order, so a rolled-back one never appears) from its confirmed
/// position, decodes each change into the key of every sync of its table, and hands the keys over in chunks. Only one
/// chunk is out at a time and the next is at most <c>chunkKeys</c> keys: while the one out is not applied nothing more
/// is read, so a transaction of a million rows goes through in bounded pieces and never sits in memory whole. The
/// slot's confirmed position is only ever moved by <see cref="ConfirmAsync"/>: Npgsql's own status updates repeat
/// what was confirmed last and never advance it past unapplied changes.
/// </summary>
public sealed class WalStream : IAsyncDisposable
{
    private static long _ids;
    private static readonly TimeSpan IdleTick = TimeSpan.FromSeconds(1);

    private readonly LogicalReplicationConnection _connection;
    private readonly string _database;
    private readonly Dictionary<(string Schema, string Table), WalRoute[]> _routes;
    private readonly Dictionary<uint, (RelationMessage Message, (string Sync, int[] Indexes)[] Targets, int[] Needed)> _relations = [];
    private long _chunks;
    private int _disposed;

    private WalStream(LogicalReplicationConnection connection, string database, IEnumerable<WalRoute> routes)
    {
        _connection = connection;
        _database = database;
        _routes = routes.GroupBy(r => (r.Schema, r.Table)).ToDictionary(g => g.Key, g => g.ToArray());
    }

    /// <summary>Tells one connection's chunks from those of a connection before it (their late acks are ignored).</summary>
    public long Id { get; } = Interlocked.Increment(ref _ids);

    /// <summary>The confirmed position last sent to the server.</summary>
    public NpgsqlLogSequenceNumber Confirmed { get; private set; }

    /// <summary>Opens the replication connection (not yet streaming).</summary>
    public static async Task<WalStream> OpenAsync(string connectionString, string database, IEnumerable<WalRoute> routes, CancellationToken cancellationToken)
    {
        // The pools' larger buffer (Pools/PoolConnectionSettings): fewer reads that complete asynchronously per message.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "actorsync-wal", TcpKeepAlive = true, ReadBufferSize = 64 * 1024 };
        var connection = new LogicalReplicationConnection(builder.ConnectionString);
        try
        {
            await connection.Open(cancellationToken);
            return new WalStream(connection, database, routes);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Streams until cancelled or the connection fails (which throws). <paramref name="dispatch"/> gets each chunk and
    /// returns a task that completes once all of it is applied; <paramref name="idle"/> hears a position the slot may
    /// confirm because nothing was sent before it that is not applied (the server's keep-alive after a quiet second).
    /// </summary>
    public async Task RunAsync(
        int chunkKeys, Func<WalChunk, Task> dispatch, Action<NpgsqlLogSequenceNumber> idle, CancellationToken cancellationToken)
    {
        var slot = new PgOutputReplicationSlot(WalNames.Slot(_database));
        var options = new PgOutputReplicationOptions(WalNames.Publication(_database), PgOutputProtocolVersion.V1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var messages = _connection.StartReplication(slot, options, stop.Token).GetAsyncEnumerator(stop.Token);
        var next = messages.MoveNextAsync().AsTask();
        try
        {
            await PumpAsync(messages, () => next, task => next = task, chunkKeys, dispatch, idle, cancellationToken);
        }
        finally
        {
            // An async iterator must not be disposed while a MoveNextAsync is pending: stop the replication, let the
            // pending read end, then dispose. The connection goes with this stream.
            await stop.CancelAsync();
            try
            {
                await next;
            }
            catch (Exception)
            {
                // Cancelled, or the connection failed: the reason (if any) is already on its way out of this method.
            }

            await messages.DisposeAsync();
            await DisposeAsync();
        }
    }

    private async Task PumpAsync(
        IAsyncEnumerator<PgOutputReplicationMessage> messages, Func<Task<bool>> getNext, Action<Task<bool>> setNext, int chunkKeys,
        Func<WalChunk, Task> dispatch, Action<NpgsqlLogSequenceNumber> idle, CancellationToken cancellationToken)
    {
        var current = NewChunk();
        Task? outstanding = null;
        var transaction = (Xid: 0u, Commit: DateTimeOffset.MinValue, Open: false);
        long seen = 0, seenAtIdle = -1;
        NpgsqlLogSequenceNumber? idleCandidate = null;
        while (true)
        {
            var next = getNext();
            if (!next.IsCompleted)
            {
                // Nothing more to read at this instant: send what has gathered, unless a chunk is still being applied.
                if (outstanding is null && current.HasContent)
                {
                    outstanding = dispatch(current);
                    current = NewChunk();
                }

                var tick = Task.Delay(IdleTick, cancellationToken);
                var first = await Task.WhenAny(next, outstanding ?? tick, tick);
                if (outstanding is not null && outstanding.IsCompleted)
                {
                    await outstanding;
                    outstanding = null;
                    continue;
                }

                if (first == tick && !next.IsCompleted)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (outstanding is null && !current.HasContent && !transaction.Open)
                    {
                        // A keep-alive moves the received position past WAL with nothing for us (other tables, other
                        // databases). Taken a full quiet tick after it was read, so no message was on its way to us.
                        if (seen == seenAtIdle && idleCandidate is { } candidate)
                        {
                            idle(candidate);
                        }

                        seenAtIdle = seen;
                        idleCandidate = _connection.LastReceivedLsn;
                    }

                    continue;
                }
            }

            if (!await next)
            {
                throw new InvalidOperationException($"The replication stream of database '{_database}' ended.");
            }

            seen++;
            switch (messages.Current)
            {
                case BeginMessage begin:
                    transaction = (begin.TransactionXid, begin.TransactionCommitTimestamp, true);
                    break;
                case CommitMessage commit:
                    current.ConfirmLsn = commit.TransactionEndLsn;
                    transaction.Open = false;
                    break;
                case RelationMessage relation:
                    Route(relation);
                    break;
                case InsertMessage insert:
                    await AddAsync(current, insert.Relation, insert.NewRow, transaction.Xid, transaction.Commit, cancellationToken);
                    break;
                case IndexUpdateMessage update:
                    await AddAsync(current, update.Relation, update.Key, transaction.Xid, transaction.Commit, cancellationToken);
                    await AddAsync(current, update.Relation, update.NewRow, transaction.Xid, transaction.Commit, cancellationToken);
                    break;
                case FullUpdateMessage update:
                    await AddAsync(current, update.Relation, update.OldRow, transaction.Xid, transaction.Commit, cancellationToken);
                    await AddAsync(current, update.Relation, update.NewRow, transaction.Xid, transaction.Commit, cancellationToken);
                    break;
                case UpdateMessage update:
                    await AddAsync(current, update.Relation, update.NewRow, transaction.Xid, transaction.Commit, cancellationToken, onlyTuple: true);
                    break;
                case KeyDeleteMessage delete:
                    await AddAsync(current, delete.Relation, delete.Key, transaction.Xid, transaction.Commit, cancellationToken);
                    break;
                case FullDeleteMessage delete:
                    await AddAsync(current, delete.Relation, delete.OldRow, transaction.Xid, transaction.Commit, cancellationToken);
                    break;
                case TruncateMessage truncate:
                    foreach (var relation in truncate.Relations)
                    {
                        foreach (var (sync, _) in Targets(relation).Targets)
                        {
                            Part(current, sync).AddTruncate(transaction.Xid, transaction.Commit);
                        }
                    }

                    break;
            }

            if (current.Keys >= chunkKeys)
            {
                // Backpressure: the stream is not read while the chunk before is being applied.
                if (outstanding is not null)
                {
                    await outstanding;
                }

                outstanding = dispatch(current);
                current = NewChunk();
            }

            setNext(messages.MoveNextAsync().AsTask());
        }
    }

    /// <summary>Sends <paramref name="lsn"/> as the slot's confirmed (flushed and applied) position, if it moves it forward.</summary>
    public async Task ConfirmAsync(NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
    {
        if (lsn <= Confirmed)
        {
            return;
        }

        Confirmed = lsn;
        _connection.SetReplicationStatus(lsn);
        await _connection.SendStatusUpdate(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _connection.DisposeAsync();
        }
    }

    private WalChunk NewChunk() => new(Interlocked.Increment(ref _chunks));

    private static WalKeySet Part(WalChunk chunk, string sync)
    {
        if (!chunk.Parts.TryGetValue(sync, out var part))
        {
            chunk.Parts[sync] = part = new WalKeySet();
        }

        return part;
    }

    private void Route(RelationMessage relation) => _relations.Remove(relation.RelationId);

    private (RelationMessage Message, (string Sync, int[] Indexes)[] Targets, int[] Needed) Targets(RelationMessage relation)
    {
        if (_relations.TryGetValue(relation.RelationId, out var known) && ReferenceEquals(known.Message, relation))
        {
            return known;
        }

        var names = relation.Columns.Select(c => c.ColumnName).ToList();
        var targets = new List<(string, int[])>();
        if (_routes.TryGetValue((relation.Namespace, relation.RelationName), out var routes))
        {
            foreach (var route in routes)
            {
                var indexes = route.KeyColumns.Select(k => names.IndexOf(k)).ToArray();
                if (indexes.Any(i => i < 0))
                {
                    throw new WalCaptureException(
                        $"sync '{route.Sync}': the key column(s) {string.Join(", ", route.KeyColumns.Where(k => !names.Contains(k)))} are not in the " +
                        $"decoded columns of {relation.Namespace}.{relation.RelationName}");
                }

                targets.Add((route.Sync, indexes));
            }
        }

        var entry = (relation, targets.ToArray(), targets.SelectMany(t => t.Item2).Distinct().Order().ToArray());
        _relations[relation.RelationId] = entry;
        return entry;
    }

    private async Task AddAsync(
        WalChunk chunk, RelationMessage relation, ReplicationTuple tuple, uint xid, DateTimeOffset commit, CancellationToken cancellationToken,
        bool onlyTuple = false)
    {
        var (_, targets, needed) = Targets(relation);
        if (targets.Length == 0)
        {
            return;
        }

        var values = new Dictionary<int, string?>(needed.Length);
        var index = 0;
        var unchanged = false;
        await foreach (var value in tuple.WithCancellation(cancellationToken))
        {
            if (Array.BinarySearch(needed, index) >= 0)
            {
                if (value.IsUnchangedToastedValue)
                {
                    unchanged = true;
                }

                values[index] = value.IsDBNull || value.IsUnchangedToastedValue ? null : await value.Get<string>(cancellationToken);
            }

            index++;
        }

        foreach (var (sync, indexes) in targets)
        {
            var key = new string[indexes.Length];
            var complete = true;
            for (var i = 0; i < indexes.Length; i++)
            {
                var text = values.GetValueOrDefault(indexes[i]);
                complete &= text is not null;
                key[i] = text!;
            }

            if (complete)
            {
                Part(chunk, sync).Add(key, xid, commit);
                chunk.Keys++;
            }
            else if (unchanged && onlyTuple)
            {
                // A key too large to be stored inline, unchanged by an UPDATE: pgoutput sends neither its value nor an
                // old key. Only REPLICA IDENTITY FULL makes it send the old row.
                throw new WalCaptureException(
                    $"sync '{sync}': an UPDATE of {relation.Namespace}.{relation.RelationName} left a TOASTed key value out of the WAL stream; " +
                    $"run ALTER TABLE {relation.Namespace}.{relation.RelationName} REPLICA IDENTITY FULL so its updates carry the key");
            }

            // Otherwise a NULL key (a key column of a table without a primary key), which the target's key refuses, or
            // the new row of an UPDATE whose old key came first: nothing more to take.
        }
    }
}
