using NpgsqlTypes;

namespace ActorSync.Listening;

/// <summary>
/// A decoded row of one key: its table's columns (as the stream named them) and their values as text, or no values
/// (<see cref="WalValues.IsDefault"/>) for a deleted key; the source transaction that wrote it last in its stretch of WAL.
/// </summary>
public readonly record struct WalRow(string[] Columns, WalValues Values, uint Xid);

/// <summary>
/// The distinct keys of one sync's changes in a stretch of decoded WAL (a chunk, or a replicator's backlog), each key
/// as the text of its columns in key order, with the source transactions they came from and the oldest commit time. A
/// TRUNCATE supersedes every key before it: the set then empties the target first and re-reads only the keys after it.
/// While every change of a chunk came with its complete row, the set also keeps each key's last row
/// (<see cref="Rows"/>), which the replicator may apply without reading the source (DESIGN.md, "WAL capture").
/// Not thread-safe: filled by one owner, then handed over and only read.
/// </summary>
public sealed class WalKeySet
{
    // While every change came with its row, the keys and their rows are one dictionary; once one did not (or the rows
    // were let go), the keys alone are a set, a third of the memory per key (a backlog can hold hundreds of thousands).
    // Exactly one of the two is not null.
    private Dictionary<string[], WalRow>? _rows;
    private HashSet<string[]>? _keys;
    private readonly HashSet<uint> _xids = [];

    /// <param name="capacity">The keys expected (the size of the sync's previous part of the stream), to grow less.</param>
    public WalKeySet(int capacity = 0)
    {
        _rows = new Dictionary<string[], WalRow>(capacity, KeyComparer.Instance);
    }

    /// <summary>The source was truncated: empty the target before applying <see cref="Keys"/>.</summary>
    public bool Truncate { get; private set; }

    public IReadOnlyCollection<string[]> Keys => _rows is not null ? _rows.Keys : _keys!;

    /// <summary>The source transactions of these changes (their 32-bit ids, as pgoutput sends them).</summary>
    public IReadOnlyCollection<uint> Xids => _xids;

    public DateTimeOffset? OldestCommit { get; private set; }

    /// <summary>
    /// The last decoded row of every key, or null when some change came without its complete row (an unchanged TOASTed
    /// value, a sync with a <c>where</c>), with a TRUNCATE, or from a backlog: then the keys are re-read from the source.
    /// </summary>
    public IReadOnlyDictionary<string[], WalRow>? Rows => _rows is { Count: > 0 } && !Truncate ? _rows : null;

    /// <summary>The commit position of the earliest transaction with a change here (null when none is known).</summary>
    public NpgsqlLogSequenceNumber? FirstCommitLsn { get; private set; }

    public int Count => _rows?.Count ?? _keys!.Count;

    public bool Contains(string[] key) => _rows?.ContainsKey(key) ?? _keys!.Contains(key);

    /// <summary>Lets go of the decoded rows (the keys stay): they were applied, or the keys were re-read.</summary>
    public void DropRows()
    {
        if (_rows is not null)
        {
            _keys = new HashSet<string[]>(_rows.Keys, KeyComparer.Instance);
            _rows = null;
        }
    }

    public bool IsEmpty => !Truncate && Count == 0;

    /// <summary>A changed key without its row: it will be re-read from the source.</summary>
    public void Add(string[] key, uint xid, DateTimeOffset commit)
    {
        DropRows();
        _keys!.Add(key);
        Record(xid, commit);
    }

    /// <summary>
    /// A changed key with its complete new row (<paramref name="values"/>), or with none (default) when the change deleted it;
    /// <paramref name="commitLsn"/> is its transaction's commit position.
    /// </summary>
    public void AddRow(string[] key, string[] columns, WalValues values, uint xid, DateTimeOffset commit, NpgsqlLogSequenceNumber commitLsn)
    {
        if (_rows is not null)
        {
            _rows[key] = new WalRow(columns, values, xid);
        }
        else
        {
            _keys!.Add(key);
        }

        if (FirstCommitLsn is null || commitLsn < FirstCommitLsn)
        {
            FirstCommitLsn = commitLsn;
        }

        Record(xid, commit);
    }

    /// <summary>
    /// Adds a key that no decoded transaction brought: a dead-lettered key queued again by <c>dead-letters retry</c>.
    /// Its row is re-read as it is now, so there is no transaction to wait for.
    /// </summary>
    public void AddRequeued(string[] key, DateTimeOffset at)
    {
        DropRows();
        _keys!.Add(key);
        if (OldestCommit is null || at < OldestCommit)
        {
            OldestCommit = at;
        }
    }

    public void AddTruncate(uint xid, DateTimeOffset commit)
    {
        _rows = null;
        _keys = new HashSet<string[]>(KeyComparer.Instance);
        Truncate = true;
        Record(xid, commit);
    }

    /// <summary>Adds <paramref name="later"/>, whose changes come after these (keys only: a backlog is re-read).</summary>
    public void AddAll(WalKeySet later) => AddAll(later, keepRows: false);

    private void AddAll(WalKeySet later, bool keepRows)
    {
        if (later.Truncate)
        {
            _rows?.Clear();
            _keys?.Clear();
            Truncate = true;
        }

        if (keepRows && _rows is not null && later._rows is not null)
        {
            _rows.EnsureCapacity(_rows.Count + later._rows.Count);
            foreach (var (key, row) in later._rows)
            {
                _rows[key] = row; // a later row of a key replaces an earlier one
            }
        }
        else
        {
            DropRows();
            _keys!.UnionWith(later.Keys);
        }

        _xids.UnionWith(later._xids);
        if (later.OldestCommit is { } oldest && (OldestCommit is null || oldest < OldestCommit))
        {
            OldestCommit = oldest;
        }
    }

    /// <summary>
    /// Adds <paramref name="later"/>, the next part of the stream for the same sync, keeping the decoded rows when both
    /// have them (a later row of a key replaces an earlier one): parts that queued while one was applied go as one.
    /// </summary>
    public void Append(WalKeySet later)
    {
        var rows = _rows is not null && later._rows is not null && !later.Truncate;
        if (later.FirstCommitLsn is { } first && (FirstCommitLsn is null || first < FirstCommitLsn))
        {
            FirstCommitLsn = first;
        }

        AddAll(later, keepRows: rows);
    }

    private void Record(uint xid, DateTimeOffset commit)
    {
        _xids.Add(xid);
        if (OldestCommit is null || commit < OldestCommit)
        {
            OldestCommit = commit;
        }
    }

    private sealed class KeyComparer : IEqualityComparer<string[]>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(string[] key)
        {
            var hash = new HashCode();
            foreach (var part in key)
            {
                hash.Add(part, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}

/// <summary>
/// The keys a sync took from the stream but could not apply yet (it was copying, paused, preparing or failing), kept
/// across its replicator's restarts. While it holds any, the listener holds the slot's confirmed position back for it
/// (DESIGN.md, "WAL capture"). Past <see cref="MaxKeys"/> the keys are dropped and the stream is replayed instead.
/// </summary>
/// <param name="maxKeys">
/// The most distinct keys held in memory (<c>databases.NAME.wal-backlog-keys</c>); past it the backlog gives up and asks
/// for a replay from the slot.
/// </param>
public sealed class WalBacklog(int maxKeys = WalBacklog.DefaultMaxKeys)
{
    /// <summary>The default of <c>databases.NAME.wal-backlog-keys</c>.</summary>
    public const int DefaultMaxKeys = 200_000;

    private readonly object _gate = new();
    private WalKeySet _keys = new();

    /// <summary>Distinct keys held in memory before the backlog gives up and asks for a replay from the slot.</summary>
    public int MaxKeys { get; } = maxKeys > 0 ? maxKeys : throw new ArgumentOutOfRangeException(nameof(maxKeys), maxKeys, "must be greater than 0");

    /// <summary>Keys were dropped: the stream must be replayed from the slot's confirmed position.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The listener holds the slot's position back for this sync.</summary>
    public bool Held { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count;
            }
        }
    }

    public DateTimeOffset? OldestCommit
    {
        get
        {
            lock (_gate)
            {
                return _keys.OldestCommit;
            }
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return !Held && !Overflowed && _keys.IsEmpty;
            }
        }
    }

    public void Add(WalKeySet keys)
    {
        lock (_gate)
        {
            Held = true;
            if (Overflowed)
            {
                return;
            }

            _keys.AddAll(keys);
            if (_keys.Count > MaxKeys)
            {
                Overflowed = true;
                _keys = new WalKeySet();
            }
        }
    }

    /// <summary>Puts back keys taken out (or in flight) that were not applied: they come before what arrived since.</summary>
    public void Restore(WalKeySet earlier)
    {
        lock (_gate)
        {
            Held = true;
            if (Overflowed)
            {
                return;
            }

            var merged = new WalKeySet();
            merged.AddAll(earlier);
            merged.AddAll(_keys);
            _keys = merged;
            if (_keys.Count > MaxKeys)
            {
                Overflowed = true;
                _keys = new WalKeySet();
            }
        }
    }

    /// <summary>Takes the keys out to apply them; the backlog keeps being held until <see cref="Release"/>.</summary>
    public WalKeySet Take()
    {
        lock (_gate)
        {
            var taken = _keys;
            _keys = new WalKeySet();
            return taken;
        }
    }

    /// <summary>Whether keys arrived since the last <see cref="Take"/>.</summary>
    public bool HasKeys
    {
        get
        {
            lock (_gate)
            {
                return !_keys.IsEmpty;
            }
        }
    }

    /// <summary>Everything taken was applied (or will be replayed): the listener may stop holding the position.</summary>
    public void Release()
    {
        lock (_gate)
        {
            Held = false;
            Overflowed = false;
        }
    }
}
