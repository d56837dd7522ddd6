using Microsoft.Extensions.Logging;

namespace ActorSync.Logging;

// WAL capture (issue #20): event ids 4150-4169.
public static partial class LogMessages
{
    [LoggerMessage(4150, LogLevel.Information, "WAL listener on {Database}: streaming slot {Slot} (publication {Publication}, {Tables} table(s)){Installed}")]
    public static partial void WalStreaming(ILogger logger, string database, string slot, string publication, int tables, string installed);

    [LoggerMessage(4151, LogLevel.Information, "WAL listener on {Database}: sync {Sync} dropped its backlog of keys; streaming again from the slot's confirmed position")]
    public static partial void WalReplay(ILogger logger, string database, string sync);

    [LoggerMessage(4152, LogLevel.Information, "Sync {Sync}: WAL capture from {Source} (publication and slot {Slot}){Switched}")]
    public static partial void WalCaptureReady(ILogger logger, string sync, string source, string slot, string switched);

    [LoggerMessage(4153, LogLevel.Debug, "Sync {Sync}: WAL apply by {Path}: chunks {Chunks}, {Keys} key(s), xids {FirstXid}-{LastXid}, first commit {FirstCommit}, rows from {RowsFrom}{Truncate}, {Skipped} row(s) skipped as re-read newer")]
    public static partial void WalApply(
        ILogger logger, string sync, string path, string chunks, int keys, uint firstXid, uint lastXid, string firstCommit, string rowsFrom, string truncate, int skipped);

    [LoggerMessage(4154, LogLevel.Debug, "WAL listener on {Database}: confirms {Position} (applied to {Acked}; held by {Holds})")]
    public static partial void WalConfirm(ILogger logger, string database, string position, string acked, string holds);

    [LoggerMessage(4155, LogLevel.Debug, "Sync {Sync}: WAL chunk {Chunk} held ({Keys} key(s)); backlog {Backlog} key(s)")]
    public static partial void WalHeld(ILogger logger, string sync, long chunk, int keys, int backlog);
}
