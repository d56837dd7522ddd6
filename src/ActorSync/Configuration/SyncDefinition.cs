namespace ActorSync.Configuration;

/// <summary>
/// One sync as the engine sees it: names parsed (SQL folding rules applied), defaults filled in. Built from validated
/// <see cref="SyncOptions"/>; building it from unvalidated input throws <see cref="FormatException"/>.
/// </summary>
public sealed record SyncDefinition(
    string Name,
    TableName Source,
    TableName Target,
    IReadOnlyList<string>? Columns,
    IReadOnlyList<string>? Key,
    string? Where,
    bool CreateTarget,
    int BatchSize,
    TimeSpan PollInterval,
    TimeSpan ApplyTimeout,
    int SnapshotParallelism,
    OnSchemaChange OnSchemaChange)
{
    /// <summary>True when source and target live in the same configured database (apply and delta delete share a transaction).</summary>
    public bool SameDatabase => string.Equals(Source.Database, Target.Database, StringComparison.Ordinal);

    /// <summary>
    /// The name in lower case, as SQL object names use it (the delta table <c>actorsync.delta_&lt;name&gt;</c>, its
    /// triggers). Validation allows only letters, digits and '_' and keeps names unique ignoring case, so this is safe.
    /// </summary>
    public string SqlName => Name.ToLowerInvariant();

    /// <summary>How the source's triggers record changes (<c>capture-mode</c>).</summary>
    public Capture.CaptureMode CaptureMode { get; init; } = Capture.CaptureMode.Row;

    /// <summary>The pause between batches while changes keep coming (<c>batch-delay</c>).</summary>
    public TimeSpan BatchDelay { get; init; } = TimeSpan.Zero;

    /// <summary>What a snapshot does with the target's indexes while it copies (<c>snapshot-indexes</c>).</summary>
    public SnapshotIndexes SnapshotIndexes { get; init; } = SnapshotIndexes.Defer;

    /// <summary>What a row the target refuses does to the sync (<c>on-apply-error</c>).</summary>
    public OnApplyError OnApplyError { get; init; } = OnApplyError.Retry;

    /// <summary>The group named by <c>group</c>, or null (a sync may still join a group through a foreign key).</summary>
    public string? Group { get; init; }

    /// <summary>
    /// <c>replica-identity</c>: with WAL capture, the replica identity <c>run</c> may set on the source table when the
    /// table's own cannot identify the sync's key in the WAL; null: never change it (see <see cref="Capture.WalPreflight"/>).
    /// </summary>
    public ReplicaIdentity? ReplicaIdentity { get; init; }

    /// <summary>With WAL capture, whether decoded rows are applied as they are (<c>databases.NAME.wal-apply</c> of its source).</summary>
    public bool AppliesDecodedRows { get; init; } = true;

    /// <summary><c>enabled = false</c> keeps a sync in the configuration without running it (no capture is installed).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Builds the definition of <paramref name="sync"/>. When its source database captures from the WAL
    /// (<paramref name="databases"/>), its <see cref="CaptureMode"/> is <see cref="Capture.CaptureMode.Wal"/>.
    /// </summary>
    public static SyncDefinition From(SyncOptions sync, SyncDefaultsOptions defaults, IReadOnlyDictionary<string, DatabaseOptions>? databases = null) => new(
        sync.Name,
        TableName.Parse(sync.Source),
        TableName.Parse(sync.Target),
        sync.Columns?.Select(ParseIdentifier).ToArray(),
        sync.Key?.Select(ParseIdentifier).ToArray(),
        string.IsNullOrWhiteSpace(sync.Where) ? null : sync.Where,
        sync.CreateTarget,
        sync.BatchSize ?? defaults.BatchSize,
        sync.PollInterval ?? defaults.PollInterval,
        sync.ApplyTimeout ?? defaults.ApplyTimeout,
        sync.SnapshotParallelism ?? defaults.SnapshotParallelism,
        sync.OnSchemaChange ?? defaults.OnSchemaChange)
    {
        Enabled = sync.Enabled,
        BatchDelay = sync.BatchDelay ?? defaults.BatchDelay,
        CaptureMode = IsWal(sync, databases) ? Capture.CaptureMode.Wal : sync.CaptureMode ?? defaults.CaptureMode,
        SnapshotIndexes = sync.SnapshotIndexes ?? defaults.SnapshotIndexes,
        OnApplyError = sync.OnApplyError ?? defaults.OnApplyError,
        Group = string.IsNullOrWhiteSpace(sync.Group) ? null : sync.Group.Trim(),

        ReplicaIdentity = sync.ReplicaIdentity,
        AppliesDecodedRows = databases is null || !databases.TryGetValue(TableName.Parse(sync.Source).Database, out var source) || source.WalApply == WalApply.Rows,
    };

    private static bool IsWal(SyncOptions sync, IReadOnlyDictionary<string, DatabaseOptions>? databases) =>
        databases is not null && TableName.Parse(sync.Source).Database is var database
        && databases.TryGetValue(database, out var options) && options.CaptureMode == DatabaseCaptureMode.Wal;

    private static string ParseIdentifier(string text) =>
        TableName.TryParseIdentifier(text, out var identifier, out var error)
            ? identifier!
            : throw new FormatException($"'{text}': {error}");
}
