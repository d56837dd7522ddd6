using ActorSync.Capture;

namespace ActorSync.Configuration;

/// <summary>
/// The <c>actorsync</c> section of the configuration (DESIGN.md, "Configuration"). HOCON keys are kebab-case
/// (<c>connection-string</c>); each property's doc comment names its key.
/// </summary>
public sealed class ActorSyncOptions
{
    public const string SectionName = "actorsync";

    /// <summary><c>databases</c>: connections by name; syncs refer to them as <c>name:schema.table</c>.</summary>
    public Dictionary<string, DatabaseOptions> Databases { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>defaults</c>: settings every sync inherits unless it sets its own.</summary>
    public SyncDefaultsOptions Defaults { get; set; } = new();

    /// <summary><c>admin</c>: the HTTP admin endpoint.</summary>
    public AdminOptions Admin { get; set; } = new();

    /// <summary><c>syncs</c>: one entry per synced table.</summary>
    public List<SyncOptions> Syncs { get; set; } = [];
}

/// <summary>One entry under <c>actorsync.databases</c>.</summary>
public sealed class DatabaseOptions
{
    /// <summary><c>connection-string</c> (required): an Npgsql connection string. Never logged or shown.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary><c>max-connections</c>: connections ActorSync may hold to this database at once (leases per pool).</summary>
    public int MaxConnections { get; set; } = 10;

    /// <summary>
    /// <c>capture-mode</c>: <c>trigger</c> (default: each sync's own <c>capture-mode</c>, row, statement or auto) or
    /// <c>wal</c>: every sync reading from this database takes its changes from the write-ahead log, through the
    /// publication and the replication slot named by <see cref="Capture.WalNames"/>.
    /// </summary>
    public DatabaseCaptureMode CaptureMode { get; set; } = DatabaseCaptureMode.Trigger;

    /// <summary>
    /// <c>slot-retention-warning</c>: with <c>capture-mode = wal</c>, the WAL the slot may retain (a size such as
    /// <c>1GB</c>) before <c>/status</c>, <c>health</c> and the log warn. Default 1GB.
    /// </summary>
    public long SlotRetentionWarning { get; set; } = 1_000_000_000;

    /// <summary>
    /// <c>wal-backlog-keys</c>: with <c>capture-mode = wal</c>, the most distinct changed keys one sync of this database
    /// keeps in memory while it cannot apply them (copying, paused, failing). Past it the sync drops them and the stream
    /// is replayed from the slot's confirmed position, which was held back for it. Default 200000.
    /// </summary>
    public int WalBacklogKeys { get; set; } = Listening.WalBacklog.DefaultMaxKeys;

    /// <summary>
    /// <c>wal-apply</c>: with <c>capture-mode = wal</c>, how changes reach the target. <c>rows</c> (the default) applies
    /// the decoded rows as they are and re-reads only what the stream does not carry whole; <c>reread</c> re-reads
    /// every changed key from the source (DESIGN.md, "WAL capture").
    /// </summary>
    public WalApply WalApply { get; set; } = WalApply.Rows;
}

/// <summary>How a WAL sync applies decoded changes (<c>databases.NAME.wal-apply</c>).</summary>
public enum WalApply
{
    /// <summary>The decoded rows, as they are; keys the stream does not carry whole are re-read.</summary>
    Rows,

    /// <summary>Every changed key re-read from the source in one snapshot.</summary>
    Reread,
}

/// <summary>How a source database's changes are captured (<c>databases.NAME.capture-mode</c>).</summary>
public enum DatabaseCaptureMode
{
    /// <summary><c>trigger</c>: triggers and delta tables, as each sync's <c>capture-mode</c> says.</summary>
    Trigger,

    /// <summary><c>wal</c>: logical decoding of the write-ahead log for every sync of the database.</summary>
    Wal,
}

/// <summary><c>actorsync.defaults</c>; each value can be overridden per sync.</summary>
public sealed class SyncDefaultsOptions
{
    /// <summary>
    /// <c>batch-size</c>: the most changes applied in one target transaction. A batch takes whatever is pending up to
    /// this bound, so quiet syncs apply small batches and a backlog goes in few passes; lower it to keep target
    /// transactions short.
    /// </summary>
    public int BatchSize { get; set; } = 1_000_000;

    /// <summary>
    /// <c>batch-delay</c>: while changes keep coming, how long a replicator waits after a batch that did not fill before
    /// it applies the next, so that changes gather into fewer, larger batches: each batch costs a dozen statements on the
    /// two servers however small it is. A full batch (a backlog) goes on at once; an idle sync woken by a change applies
    /// it at once. 0 applies batch after batch with no pause. Measured on pgbench (2 cores): 10ms raised the source's
    /// TPS under replication from 0.46 to 0.58 of its TPS without, for about 10 ms more lag on a steady stream.
    /// </summary>
    public TimeSpan BatchDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary><c>poll-interval</c>: how often an idle replicator checks its delta even without a wake-up.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>apply-timeout</c>: longest a single apply transaction may take before it is abandoned and retried.</summary>
    public TimeSpan ApplyTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>snapshot-parallelism</c>: workers copying key ranges during a snapshot (default: the core count).</summary>
    public int SnapshotParallelism { get; set; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// <c>snapshot-indexes</c>: <c>defer</c> (default) drops the target's indexes that can be rebuilt exactly while a
    /// snapshot copies and builds them after it, as pg_restore does; <c>keep</c> fills them during the copy.
    /// </summary>
    public SnapshotIndexes SnapshotIndexes { get; set; } = SnapshotIndexes.Defer;

    /// <summary><c>on-schema-change</c>: <c>fail</c> (default) or <c>add-columns</c>.</summary>
    public OnSchemaChange OnSchemaChange { get; set; } = OnSchemaChange.Fail;

    /// <summary>
    /// <c>capture-mode</c>: how the source's triggers record changed keys: <c>row</c> (a row-level trigger; cheapest for
    /// OLTP), <c>statement</c> (statement-level with transition tables; cheapest for bulk statements) or <c>auto</c>
    /// (statement-level for INSERT, row-level for UPDATE and DELETE).
    /// </summary>
    public CaptureMode CaptureMode { get; set; } = CaptureMode.Row;

    /// <summary><c>on-apply-error</c>: <c>retry</c> (default) or <c>dead-letter</c>.</summary>
    public OnApplyError OnApplyError { get; set; } = OnApplyError.Retry;

    /// <summary><c>backoff</c>: restart delays of a failing actor.</summary>
    public BackoffSettings Backoff { get; set; } = new();
}

/// <summary><c>backoff { min, max, random-factor }</c>: exponential restart delays with jitter.</summary>
public sealed class BackoffSettings
{
    /// <summary><c>min</c>: the first restart delay.</summary>
    public TimeSpan Min { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary><c>max</c>: the ceiling; a sync that keeps failing retries at this interval.</summary>
    public TimeSpan Max { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>random-factor</c>: jitter, 0.2 adds up to 20 % to each delay.</summary>
    public double RandomFactor { get; set; } = 0.2;
}

/// <summary>What a snapshot does with the target's indexes while it copies.</summary>
public enum SnapshotIndexes
{
    /// <summary>
    /// <c>defer</c>: indexes that can be dropped and rebuilt exactly are built after the copy (one sort each instead of
    /// an insertion per row); the target has no such index until the copy is done.
    /// </summary>
    Defer,

    /// <summary><c>keep</c>: every index stays and is filled row by row during the copy.</summary>
    Keep,
}

/// <summary>What a sync does when its source gains or loses a column.</summary>
public enum OnSchemaChange
{
    /// <summary><c>fail</c>: the sync goes <c>failing</c> with a message saying what changed and how to proceed.</summary>
    Fail,

    /// <summary><c>add-columns</c>: a column added to the source is added to the target and the sync continues.</summary>
    AddColumns,
}

/// <summary><c>actorsync.admin</c>.</summary>
public sealed class AdminOptions
{
    /// <summary><c>url</c>: where the admin endpoint listens; loopback unless configured otherwise.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8080";

    /// <summary><c>token</c>: bearer token required by the mutating endpoints. Never logged or shown.</summary>
    public string? Token { get; set; }

    /// <summary><c>enabled</c>: set false to run without the admin endpoint.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>One entry of <c>actorsync.syncs</c>.</summary>
public sealed class SyncOptions
{
    /// <summary><c>name</c> (required): unique; used in the delta table's name, the status and the admin API.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>source</c> (required): <c>database:schema.table</c>.</summary>
    public string Source { get; set; } = "";

    /// <summary><c>target</c> (required): <c>database:schema.table</c>.</summary>
    public string Target { get; set; } = "";

    /// <summary><c>columns</c>: the subset of columns to copy (the key columns are always included).</summary>
    public List<string>? Columns { get; set; }

    /// <summary><c>key</c>: key columns for a source table without a primary key.</summary>
    public List<string>? Key { get; set; }

    /// <summary><c>where</c>: an SQL condition on the source row; rows that stop matching are deleted from the target.</summary>
    public string? Where { get; set; }

    /// <summary><c>create-target</c>: create a missing target table from the source's definition.</summary>
    public bool CreateTarget { get; set; }

    /// <summary><c>enabled</c>: set false to keep a sync configured but not running.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>batch-size</c>: overrides <c>defaults.batch-size</c>.</summary>
    public int? BatchSize { get; set; }

    /// <summary><c>batch-delay</c>: overrides <c>defaults.batch-delay</c>.</summary>
    public TimeSpan? BatchDelay { get; set; }

    /// <summary><c>poll-interval</c>: overrides <c>defaults.poll-interval</c>.</summary>
    public TimeSpan? PollInterval { get; set; }

    /// <summary><c>apply-timeout</c>: overrides <c>defaults.apply-timeout</c>.</summary>
    public TimeSpan? ApplyTimeout { get; set; }

    /// <summary><c>snapshot-parallelism</c>: overrides <c>defaults.snapshot-parallelism</c>.</summary>
    public int? SnapshotParallelism { get; set; }

    /// <summary><c>snapshot-indexes</c>: overrides <c>defaults.snapshot-indexes</c>.</summary>
    public SnapshotIndexes? SnapshotIndexes { get; set; }

    /// <summary><c>on-schema-change</c>: overrides <c>defaults.on-schema-change</c>.</summary>
    public OnSchemaChange? OnSchemaChange { get; set; }

    /// <summary><c>capture-mode</c>: overrides <c>defaults.capture-mode</c>.</summary>
    public CaptureMode? CaptureMode { get; set; }

    /// <summary><c>on-apply-error</c>: overrides <c>defaults.on-apply-error</c>.</summary>
    public OnApplyError? OnApplyError { get; set; }

    /// <summary>
    /// <c>group</c>: syncs with the same group name are applied together, one source snapshot and one target transaction
    /// per batch (issue #19); they must share their source database and their target database.
    /// </summary>
    public string? Group { get; set; }

    /// <summary>
    /// <c>replica-identity</c>: <c>full</c> or <c>index</c>, the opt-in that lets <c>run</c> set the source table's replica
    /// identity when WAL capture needs one (see <see cref="Configuration.ReplicaIdentity"/>); unset, it is never changed.
    /// </summary>
    public ReplicaIdentity? ReplicaIdentity { get; set; }
}
