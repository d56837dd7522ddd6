namespace ActorSync.Listening;

/// <summary>
/// The distinct keys of one sync's changes in a stretch of decoded WAL (a chunk, or a replicator's backlog), each key
/// as the text of its columns in key order, with the source transactions they came from and the oldest commit time. A
/// TRUNCATE supersedes every key before it: the set then empties the target first and re-reads only the keys after it.
/// Not thread-safe: filled by one owner, then handed over and only read.
/// </summary>
public sealed class WalKeySet
{
    private readonly HashSet<string[]> _keys = new(KeyComparer.Instance);
    private readonly HashSet<uint> _xids = [];

    /// <summary>The source was truncated: empty the target before applying <see cref="Keys"/>.</summary>
    public bool Truncate { get; private set; }

    public IReadOnlyCollection<string[]> Keys => _keys;

    /// <summary>The source transactions of these changes (their 32-bit ids, as pgoutput sends them).</summary>
    public IReadOnlyCollection<uint> Xids => _xids;

    public DateTimeOffset? OldestCommit { get; private set; }

    public int Count => _keys.Count;

    public bool IsEmpty => !Truncate && _keys.Count == 0;

    public void Add(string[] key, uint xid, DateTimeOffset commit)
    {
        _keys.Add(key);
        Record(xid, commit);
    }

    /// <summary>
    /// Adds a key that no decoded transaction brought: a dead-lettered key queued again by <c>dead-letters retry</c>.
    /// Its row is re-read as it is now, so there is no transaction to wait for.
    /// </summary>
    public void AddRequeued(string[] key, DateTimeOffset at)
    {
        _keys.Add(key);
        if (OldestCommit is null || at < OldestCommit)
        {
            OldestCommit = at;
        }
    }

    public void AddTruncate(uint xid, DateTimeOffset commit)
    {
        _keys.Clear();
        Truncate = true;
        Record(xid, commit);
    }

    /// <summary>Adds <paramref name="later"/>, whose changes come after these.</summary>
    public void AddAll(WalKeySet later)
    {
        if (later.Truncate)
        {
            _keys.Clear();
            Truncate = true;
        }

        _keys.UnionWith(later._keys);
        _xids.UnionWith(later._xids);
        if (later.OldestCommit is { } oldest && (OldestCommit is null || oldest < OldestCommit))
        {
            OldestCommit = oldest;
        }
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
