using ActorSync.Capture;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;

namespace ActorSync.Listening;

/// <summary>
/// A synced source table and the key columns its sync reads from each change; with <paramref name="Rows"/>, the sync
/// also takes each change's whole decoded row (it has no <c>where</c>, so a row it may apply needs no source read).
/// </summary>
public sealed record WalRoute(string Sync, string Schema, string Table, IReadOnlyList<string> KeyColumns, bool Rows = false);

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

    /// <summary>
    /// A chunk also ends once its rows hold this many bytes of text: decoded rows are in memory, two chunks at a time
    /// (one applied, the next decoded).
    /// </summary>
    public const long MaxChunkBytes = 2 * 1024 * 1024;

    /// <summary>
    /// Small chunks (the stream caught up) go out without waiting for the ones before: each sync applies its parts in
    /// order, merging those that queued while it was busy, so a slow table does not hold back the others.
    /// </summary>
    public const int MaxOutstandingChunks = 16;

    private readonly LogicalReplicationConnection _connection;
    private readonly string _database;
    private readonly Dictionary<(string Schema, string Table), WalRoute[]> _routes;
    private readonly Dictionary<uint, Relation> _relations = [];
    private readonly WalValuesBuilder _tuple = new();

    // Each sync's keys in the previous chunk: a bulk load's parts are sized once instead of growing in every chunk.
    private readonly Dictionary<string, int> _partSizes = new(StringComparer.Ordinal);
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

        // Decoded rows are text in the output format of the WAL sender's session, which the target reads back: dates in
        // ISO order, intervals in the postgres style, floats exact, whatever the server's defaults (WalRowApplier).
        builder.Options = $"{builder.Options} -c DateStyle=ISO,MDY -c IntervalStyle=postgres -c extra_float_digits=3".Trim();
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
        // The chunks out, with the bytes of text each holds: the ones out together hold at most one full chunk's.
        var outstanding = new Queue<(Task Applied, long Bytes)>();
        long bytesOut = 0;
        var transaction = new Transaction(0, DateTimeOffset.MinValue, default, false);
        long bytes = 0;
        long seen = 0, seenAtIdle = -1;
        NpgsqlLogSequenceNumber? idleCandidate = null;
        while (true)
        {
            while (outstanding.TryPeek(out var head) && head.Applied.IsCompleted)
            {
                outstanding.Dequeue();
                bytesOut -= head.Bytes;
                await head.Applied; // a failed or cancelled chunk ends the stream here
            }

            var next = getNext();
            if (!next.IsCompleted)
            {
                // Nothing more to read at this instant: send what has gathered, unless too many chunks are out.
                if (current.HasContent && outstanding.Count < MaxOutstandingChunks && bytesOut + bytes <= MaxChunkBytes)
                {
                    outstanding.Enqueue((dispatch(current), bytes));
                    bytesOut += bytes;
                    current = NewChunk(current);
                    bytes = 0;
                }

                var tick = Task.Delay(IdleTick, cancellationToken);
                var first = await Task.WhenAny(next, outstanding.Count > 0 ? outstanding.Peek().Applied : tick, tick);
                if (!next.IsCompleted)
                {
                    if (first != tick)
                    {
                        continue; // the oldest chunk out was applied
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    if (outstanding.Count == 0 && !current.HasContent && !transaction.Open)
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
                    transaction = new Transaction(begin.TransactionXid, begin.TransactionCommitTimestamp, begin.TransactionFinalLsn, true);
                    break;
                case CommitMessage commit:
                    current.ConfirmLsn = commit.TransactionEndLsn;
                    transaction = transaction with { Open = false };
                    break;
                case RelationMessage relation:
                    Route(relation);
                    break;
                case InsertMessage insert:
                    bytes += await AddAsync(current, insert.Relation, insert.NewRow, transaction, deleted: false, cancellationToken);
                    break;
                case IndexUpdateMessage update:
                    // The old key (the key changed): deleted; then the new row.
                    bytes += await AddAsync(current, update.Relation, update.Key, transaction, deleted: true, cancellationToken);
                    bytes += await AddAsync(current, update.Relation, update.NewRow, transaction, deleted: false, cancellationToken);
                    break;
                case FullUpdateMessage update:
                    // The old row (REPLICA IDENTITY FULL): its key deleted, unless the new row (after it) has the same key.
                    bytes += await AddAsync(current, update.Relation, update.OldRow, transaction, deleted: true, cancellationToken);
                    bytes += await AddAsync(current, update.Relation, update.NewRow, transaction, deleted: false, cancellationToken);
                    break;
                case UpdateMessage update:
                    bytes += await AddAsync(current, update.Relation, update.NewRow, transaction, deleted: false, cancellationToken, onlyTuple: true);
                    break;
                case KeyDeleteMessage delete:
                    bytes += await AddAsync(current, delete.Relation, delete.Key, transaction, deleted: true, cancellationToken);
                    break;
                case FullDeleteMessage delete:
                    bytes += await AddAsync(current, delete.Relation, delete.OldRow, transaction, deleted: true, cancellationToken);
                    break;
                case TruncateMessage truncate:
                    foreach (var relation in truncate.Relations)
                    {
                        foreach (var target in Targets(relation).Targets)
                        {
                            Part(current, target.Sync).AddTruncate(transaction.Xid, transaction.Commit);
                        }
                    }

                    break;
            }

            if (current.Keys >= chunkKeys || bytes >= MaxChunkBytes)
            {
                // Backpressure: a full chunk goes out once at most one chunk before it is still being applied, and the
                // stream is not read meanwhile, so at most three full chunks are in memory (applied, next, decoded).
                while (outstanding.Count > 1 || bytesOut > MaxChunkBytes)
                {
                    var earlier = outstanding.Dequeue();
                    bytesOut -= earlier.Bytes;
                    await earlier.Applied;
                }

                bytesOut += bytes;
                outstanding.Enqueue((dispatch(current), bytes));
                current = NewChunk(current);
                bytes = 0;
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

    /// <summary>The next chunk, after <paramref name="previous"/>: each sync's part starts as large as it was there.</summary>
    private WalChunk NewChunk(WalChunk? previous = null)
    {
        _partSizes.Clear();
        foreach (var (sync, part) in previous?.Parts ?? [])
        {
            _partSizes[sync] = part.Count;
        }

        return new(Interlocked.Increment(ref _chunks));
    }

    private WalKeySet Part(WalChunk chunk, string sync)
    {
        if (!chunk.Parts.TryGetValue(sync, out var part))
        {
            chunk.Parts[sync] = part = new WalKeySet(_partSizes.GetValueOrDefault(sync));
        }

        return part;
    }

    private void Route(RelationMessage relation) => _relations.Remove(relation.RelationId);

    private Relation Targets(RelationMessage relation) =>
        _relations.TryGetValue(relation.RelationId, out var known) && ReferenceEquals(known.Message, relation) ? known : Describe(relation);

    /// <summary>
    /// A relation the stream described anew. Apart from <see cref="Targets"/>, which runs for every row: the lambdas here
    /// capture a local, and the closure for it is allocated on entry to the method that declares it.
    /// </summary>
    private Relation Describe(RelationMessage relation)
    {
        var names = relation.Columns.Select(c => c.ColumnName).ToArray();
        var targets = new List<RelationTarget>();
        if (_routes.TryGetValue((relation.Namespace, relation.RelationName), out var routes))
        {
            foreach (var route in routes)
            {
                var indexes = route.KeyColumns.Select(k => Array.IndexOf(names, k)).ToArray();
                if (indexes.Any(i => i < 0))
                {
                    throw new WalCaptureException(
                        $"sync '{route.Sync}': the key column(s) {string.Join(", ", route.KeyColumns.Where(k => !names.Contains(k)))} are not in the " +
                        $"decoded columns of {relation.Namespace}.{relation.RelationName}");
                }

                targets.Add(new RelationTarget(route.Sync, indexes, route.Rows));
            }
        }

        var entry = new Relation(relation, names, targets.ToArray(), targets.SelectMany(t => t.Indexes).Distinct().Order().ToArray(), targets.Any(t => t.Rows));
        _relations[relation.RelationId] = entry;
        return entry;
    }

    /// <summary>
    /// Adds a decoded tuple's key to the part of every sync of its table: with its whole row (or as deleted) for the
    /// syncs that take rows, when the tuple is complete; returns the bytes of text it added.
    /// </summary>
    private async ValueTask<long> AddAsync(
        WalChunk chunk, RelationMessage relation, ReplicationTuple tuple, Transaction transaction, bool deleted, CancellationToken cancellationToken,
        bool onlyTuple = false)
    {
        var entry = Targets(relation);
        if (entry.Targets.Length == 0)
        {
            return 0;
        }

        // A deleted key's row is not needed (only its key); a new row is needed whole by the syncs that take rows. The
        // values are read as the bytes the server sent, into a buffer reused from tuple to tuple.
        var whole = entry.AnyRows && !deleted;
        _tuple.Reset(entry.Columns.Length);
        var index = 0;
        var unchanged = false;
        var keyUnchanged = false;
        long bytes = 0;
        await foreach (var value in tuple.WithCancellation(cancellationToken))
        {
            if (whole || Array.BinarySearch(entry.Needed, index) >= 0)
            {
                if (value.IsUnchangedToastedValue)
                {
                    unchanged = true;
                    keyUnchanged |= Array.BinarySearch(entry.Needed, index) >= 0;
                }
                else if (!value.IsDBNull)
                {
                    var text = _tuple.Reserve(index, value.Length);
                    await using (var stream = value.GetStream())
                    {
                        await stream.ReadExactlyAsync(text, cancellationToken);
                    }

                    bytes += text.Length;
                }
            }

            index++;
        }

        WalValues row = default;
        foreach (var target in entry.Targets)
        {
            var key = new string[target.Indexes.Length];
            var complete = true;
            for (var i = 0; i < target.Indexes.Length; i++)
            {
                var text = _tuple.GetString(target.Indexes[i]);
                complete &= text is not null;
                key[i] = text!;
            }

            if (complete)
            {
                var part = Part(chunk, target.Sync);
                if (target.Rows && (deleted || !unchanged))
                {
                    if (!deleted && row.IsDefault)
                    {
                        row = _tuple.Build(); // one copy of the row for all the syncs of the table
                    }

                    part.AddRow(key, entry.Columns, row, transaction.Xid, transaction.Commit, transaction.CommitLsn);
                }
                else
                {
                    part.Add(key, transaction.Xid, transaction.Commit);
                }

                chunk.Keys++;
            }
            else if (keyUnchanged && onlyTuple)
            {
                // A key too large to be stored inline, unchanged by an UPDATE: pgoutput sends neither its value nor an
                // old key. Only REPLICA IDENTITY FULL makes it send the old row.
                throw new WalCaptureException(
                    $"sync '{target.Sync}': an UPDATE of {relation.Namespace}.{relation.RelationName} left a TOASTed key value out of the WAL stream; " +
                    $"run ALTER TABLE {relation.Namespace}.{relation.RelationName} REPLICA IDENTITY FULL so its updates carry the key");
            }

            // Otherwise a NULL key (a key column of a table without a primary key), which the target's key refuses, or
            // the new row of an UPDATE whose old key came first: nothing more to take.
        }

        return bytes;
    }

    /// <summary>The transaction being decoded: its id, commit time and commit position (from its BEGIN).</summary>
    private readonly record struct Transaction(uint Xid, DateTimeOffset Commit, NpgsqlLogSequenceNumber CommitLsn, bool Open);

    private sealed record RelationTarget(string Sync, int[] Indexes, bool Rows);

    /// <summary>A relation as last described by the stream: its columns, the syncs of its table, the columns they need.</summary>
    private sealed record Relation(RelationMessage Message, string[] Columns, RelationTarget[] Targets, int[] Needed, bool AnyRows);
}
