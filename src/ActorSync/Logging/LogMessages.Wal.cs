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
}
