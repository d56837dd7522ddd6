using ActorSync.Actors;
using ActorSync.Configuration;

namespace ActorSync.Admin;

/// <summary><c>GET /status</c>: every sync, the listeners taken together, every pool, and the version (issue 7).</summary>
public sealed record StatusResponse(IReadOnlyList<SyncResponse> Syncs, ListenerResponse Listener, IReadOnlyList<PoolResponse> Pools, string Version)
{
    /// <summary>
    /// <c>slots</c>: one per source database with <c>capture-mode = wal</c> (issue #20), empty without WAL capture. Null
    /// only when read from a service that predates it.
    /// </summary>
    public IReadOnlyList<SlotResponse>? Slots { get; init; } = [];

    /// <summary>
    /// The answer for what the actors reported. <paramref name="sourceDatabases"/> are the databases that must have a
    /// listener: one that did not answer in time counts as not connected rather than being left out of the verdict.
    /// </summary>
    public static StatusResponse From(EngineStatus status, IEnumerable<string> sourceDatabases) => new(
        status.Syncs.Select(SyncResponse.From).ToArray(),
        ListenerResponse.From(status.Listeners, sourceDatabases),
        status.Pools.Select(p => new PoolResponse(p.Database, p.Role, p.Leased, p.Max)).ToArray(),
        status.Version)
    {
        Slots = status.Slots.Select(SlotResponse.From).ToArray(),
    };
}

/// <summary>
/// One sync in <c>GET /status</c> and <c>GET /status/{sync}</c>: exactly these fields. <see cref="LagSeconds"/> is the
/// age of the oldest change not yet applied, 0 when nothing is pending, never null.
/// </summary>
public sealed record SyncResponse(
    string Name,
    string Source,
    string Target,
    string State,
    long RowsApplied,
    long BatchesApplied,
    long PendingRows,
    double LagSeconds,
    int Restarts,
    SyncErrorResponse? LastError,
    DateTimeOffset? LastAppliedAt,
    SnapshotResponse? Snapshot,
    long DeadLetters)
{
    public static SyncResponse From(SyncStatus status) => new(
        status.Name,
        status.Source,
        status.Target,
        status.State,
        status.RowsApplied,
        status.BatchesApplied,
        status.PendingRows,
        status.LagSeconds,
        status.Restarts,
        // Error texts never carry a password (ErrorText); masking again costs nothing and guards the HTTP surface.
        status.LastError is { } error ? new SyncErrorResponse(SecretMasker.MaskText(error.Message), error.At) : null,
        status.LastAppliedAt,
        status.Snapshot is { } snapshot
            ? new SnapshotResponse(
                snapshot.RowsCopied, snapshot.RowsEstimated, snapshot.RowsPerSecond, snapshot.Eta is { } eta ? Math.Round(eta.TotalSeconds, 1) : null)
            : null,
        status.DeadLetters);
}

/// <summary>A sync's last failure: what went wrong and when.</summary>
public sealed record SyncErrorResponse(string Message, DateTimeOffset At);

/// <summary>Snapshot progress; <see cref="Eta"/> is in seconds, null while there is no copy rate yet.</summary>
public sealed record SnapshotResponse(long RowsCopied, long RowsEstimated, double RowsPerSecond, double? Eta);

/// <summary>
/// The listeners (one per source database) as one: connected when every one is, the latest notification of any, and
/// the reconnects of all.
/// </summary>
public sealed record ListenerResponse(bool Connected, DateTimeOffset? LastNotificationAt, int Reconnects)
{
    public static ListenerResponse From(IReadOnlyList<ListenerStatus> listeners, IEnumerable<string> sourceDatabases) => new(
        sourceDatabases.All(database => listeners.Any(l => l.Database == database && l.Connected)) && listeners.All(l => l.Connected),
        listeners.Max(l => l.LastNotificationAt),
        listeners.Sum(l => l.Reconnects));
}

/// <summary>
/// A WAL source database's replication slot in <c>GET /status</c> (issue #20): <see cref="SlotRetainedBytes"/> is
/// <c>pg_current_wal_lsn() - restart_lsn</c> as last read (every 5 s), null before the first reading, while the slot does
/// not exist yet, or once the server invalidated it; <see cref="Warning"/> is set past <c>slot-retention-warning</c>
/// (<see cref="SlotRetentionWarningBytes"/>) and when the slot lost WAL. <see cref="WalStatus"/> is the server's
/// <c>wal_status</c>; <see cref="LastError"/> why the last reading failed.
/// </summary>
public sealed record SlotResponse(
    string Database, string Slot, bool Exists, long? SlotRetainedBytes, long SlotRetentionWarningBytes, string? WalStatus, DateTimeOffset? MeasuredAt,
    string? Warning, string? LastError)
{
    public static SlotResponse From(SlotStatus status) => new(
        status.Database, status.Slot, status.Exists, status.RetainedBytes, status.WarningBytes, status.WalStatus, status.MeasuredAt, status.Warning,
        status.LastError is { } error ? SecretMasker.MaskText(error) : null);
}

/// <summary>One connection pool: a database in a read or write role, its leases out and its bound.</summary>
public sealed record PoolResponse(string Database, string Role, int Leased, int Max);

/// <summary>The answer to <c>POST /syncs/{sync}/pause|resume|resync</c>: what the sync does now.</summary>
public sealed record CommandResponse(string Sync, string State);

/// <summary>
/// The answer to <c>/syncs/{sync}/dead-letters</c> (issue #19): the dead letters listed (GET), how many keys were retried
/// or discarded (POST), and how many the sync has now.
/// </summary>
public sealed record DeadLettersResponse(string Sync, long DeadLetters, int Affected, IReadOnlyList<DeadLetterResponse> Items)
{
    public static DeadLettersResponse From(DeadLettersAnswered answer) => new(
        answer.Sync,
        answer.Remaining,
        answer.Affected,
        answer.Listed.Select(l => new DeadLetterResponse(
            System.Text.Json.JsonDocument.Parse(l.Key).RootElement.Clone(), SecretMasker.MaskText(l.Error), l.SqlState, l.FirstSeen,
            l.LastSeen, l.Attempts)).ToArray());
}

/// <summary>One dead-lettered key: the key as JSON, the target's error and SQLSTATE, when, and how many times.</summary>
public sealed record DeadLetterResponse(
    System.Text.Json.JsonElement Key, string Error, string SqlState, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Attempts);

/// <summary>The body of every admin error (4xx, 503).</summary>
public sealed record ErrorResponse(string Error);

/// <summary><c>GET /health/live</c> and <c>/health/ready</c>: <c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>, and why.</summary>
public sealed record HealthResponse(string Status, IReadOnlyList<string> Reasons);
