using Microsoft.Extensions.Logging;

namespace ActorSync.Logging;

/// <summary>
/// Every log line ActorSync writes, as source-generated methods (Npgsql's pattern). Event ids by area: 1xxx service,
/// 2xxx capture, 3xxx replicators, 4xxx listener, 5xxx pools, 6xxx supervision, 7xxx admin endpoint. Information for lifecycle, Debug for
/// per-batch detail, Warning for a retry, Error for a failing sync. No line carries a password or connection string.
/// </summary>
public static partial class LogMessages
{
    [LoggerMessage(1000, LogLevel.Information, "ActorSync {Version} starting with {Syncs} sync(s) over {Databases} database(s)")]
    public static partial void EngineStarting(ILogger logger, string version, int syncs, int databases);

    [LoggerMessage(1001, LogLevel.Information, "ActorSync stopped")]
    public static partial void EngineStopped(ILogger logger);

    [LoggerMessage(1002, LogLevel.Critical, "The actor system could not start: {Error}")]
    public static partial void ActorSystemStartFailed(ILogger logger, string error);

    [LoggerMessage(1003, LogLevel.Critical, "The actor system stopped on its own ({Reason}); the service stops")]
    public static partial void ActorSystemTerminated(ILogger logger, string reason);

    [LoggerMessage(1004, LogLevel.Critical, "The engine's root actor stopped; the service stops")]
    public static partial void EngineGuardianStopped(ILogger logger);

    [LoggerMessage(1006, LogLevel.Critical, "The engine could not start: {Error}; the service stops")]
    public static partial void EngineStartFailed(ILogger logger, string error);

    [LoggerMessage(1005, LogLevel.Warning, "Unhandled message: {Message}")]
    public static partial void MessageUnhandled(ILogger logger, string message);

    [LoggerMessage(2000, LogLevel.Information, "Sync {Sync}: capture installed on {Source} ({Mode} triggers)")]
    public static partial void CaptureInstalled(ILogger logger, string sync, string source, string mode);

    [LoggerMessage(2001, LogLevel.Information, "Sync {Sync}: created target table {Target} from the source's definition")]
    public static partial void TargetCreated(ILogger logger, string sync, string target);

    [LoggerMessage(3000, LogLevel.Information, "Sync {Sync}: started ({Source} -> {Target})")]
    public static partial void SyncStarted(ILogger logger, string sync, string source, string target);

    [LoggerMessage(3001, LogLevel.Information, "Sync {Sync}: snapshot {Kind}: about {RowsEstimated} rows{Indexes}")]
    public static partial void SnapshotStarted(ILogger logger, string sync, string kind, long rowsEstimated, string indexes);

    [LoggerMessage(3002, LogLevel.Information, "Sync {Sync}: snapshot {RowsCopied}/{RowsEstimated} rows, {RowsPerSecond:0} rows/s, ETA {Eta}")]
    public static partial void SnapshotProgress(ILogger logger, string sync, long rowsCopied, long rowsEstimated, double rowsPerSecond, string eta);

    [LoggerMessage(3003, LogLevel.Information, "Sync {Sync}: snapshot done, {Rows} rows in {Seconds:0.0} s")]
    public static partial void SnapshotFinished(ILogger logger, string sync, long rows, double seconds);

    [LoggerMessage(3004, LogLevel.Information, "Sync {Sync}: caught up")]
    public static partial void CaughtUp(ILogger logger, string sync);

    [LoggerMessage(3005, LogLevel.Debug, "Sync {Sync}: batch of {DeltaRows} change(s): {Upserted} upserted, {Deleted} deleted{Truncated}")]
    public static partial void BatchApplied(ILogger logger, string sync, int deltaRows, long upserted, long deleted, string truncated);

    [LoggerMessage(3006, LogLevel.Error, "Sync {Sync} is failing (attempt {Attempt}), retrying in {Delay}: {Error}")]
    public static partial void SyncFailing(ILogger logger, string sync, int attempt, TimeSpan delay, string error);

    [LoggerMessage(3007, LogLevel.Information, "Sync {Sync}: recovered after {Attempts} failed attempt(s)")]
    public static partial void SyncRecovered(ILogger logger, string sync, int attempts);

    [LoggerMessage(3008, LogLevel.Information, "Sync {Sync}: {Command}")]
    public static partial void SyncCommand(ILogger logger, string sync, string command);

    [LoggerMessage(3009, LogLevel.Warning, "Sync {Sync}: {Change}")]
    public static partial void SchemaChanged(ILogger logger, string sync, string change);

    [LoggerMessage(3010, LogLevel.Warning, "Sync {Sync}: the target refused {Keys} key(s), recorded in actorsync.dead_letters ({DeadLetters} in all); the rest of the batch applied")]
    public static partial void KeysDeadLettered(ILogger logger, string sync, int keys, long deadLetters);

    [LoggerMessage(4000, LogLevel.Information, "Listener on {Database}: connected")]
    public static partial void ListenerConnected(ILogger logger, string database);

    [LoggerMessage(4001, LogLevel.Information, "Listener on {Database}: reconnected (reconnect {Reconnects}); every replicator catches up")]
    public static partial void ListenerReconnected(ILogger logger, string database, int reconnects);

    [LoggerMessage(4002, LogLevel.Warning, "Listener on {Database}: connection lost ({Error}); reconnecting in {Delay}")]
    public static partial void ListenerLost(ILogger logger, string database, string error, TimeSpan delay);

    [LoggerMessage(4100, LogLevel.Warning, "Replication slot {Slot} on {Database} retains {Retained} of WAL, more than slot-retention-warning ({Threshold}): the server keeps it until ActorSync confirms it")]
    public static partial void SlotRetentionHigh(ILogger logger, string database, string slot, string retained, string threshold);

    [LoggerMessage(4101, LogLevel.Information, "Replication slot {Slot} on {Database} retains {Retained} of WAL again, below slot-retention-warning")]
    public static partial void SlotRetentionNormal(ILogger logger, string database, string slot, string retained);

    [LoggerMessage(4102, LogLevel.Warning, "Replication slot {Slot} on {Database}: could not read its retained WAL ({Error}); trying again")]
    public static partial void SlotReadFailed(ILogger logger, string database, string slot, string error);

    [LoggerMessage(5000, LogLevel.Warning, "Pool {Database}/{Role}: a connection broke, rebuilding the data source")]
    public static partial void RebuildingDataSource(ILogger logger, string database, string role);

    [LoggerMessage(6000, LogLevel.Warning, "{Actor} failed and is restarted: {Error}")]
    public static partial void ActorRestarting(ILogger logger, string actor, string error);

    [LoggerMessage(7000, LogLevel.Information, "Admin endpoint listening on {Addresses}; commands: {Protection}")]
    public static partial void AdminListening(ILogger logger, string addresses, string protection);

    [LoggerMessage(7001, LogLevel.Information, "Admin: {Command} of sync {Sync} requested from {Remote}")]
    public static partial void AdminCommand(ILogger logger, string command, string sync, string remote);

    [LoggerMessage(7002, LogLevel.Warning, "Admin: {Command} from {Remote} refused with {StatusCode}: {Reason}")]
    public static partial void AdminCommandRefused(ILogger logger, string command, string remote, int statusCode, string reason);

    [LoggerMessage(8000, LogLevel.Information, "Group {Group}: {Members} (apply order); {Reasons}")]
    public static partial void GroupFormed(ILogger logger, string group, string members, string reasons);

    [LoggerMessage(8001, LogLevel.Warning, "Groups: {Warning}")]
    public static partial void GroupWarning(ILogger logger, string warning);

    [LoggerMessage(8002, LogLevel.Warning, "Group {Group}: the batch failed, every member retries with backoff: {Error}")]
    public static partial void GroupBatchFailed(ILogger logger, string group, string error);
}
