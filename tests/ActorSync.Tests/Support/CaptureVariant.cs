using System.Security.Cryptography;
using ActorSync.Actors;
using ActorSync.Capture;
using ActorSync.Configuration;
using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>
/// One capture mode a fidelity or fault test runs in (issue #20): <c>trigger</c> (row triggers and delta tables) or
/// <c>wal</c> (<c>databases.NAME.capture-mode = wal</c>). Theories take the name (<c>[InlineData("trigger")]</c>,
/// <c>[InlineData("wal")]</c>) and build this. In WAL mode the source database gets a configured name of its own
/// (<see cref="Source"/>), because the slot it names is a server-wide object and the test server is shared; on a server
/// without <c>wal_level = logical</c> the WAL variant fails saying so (<see cref="RequireAsync"/>), never skips.
/// </summary>
public sealed class CaptureVariant
{
    private CaptureVariant(string name)
    {
        Name = name;
        Source = Wal ? "w" + Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant() : "src";
    }

    /// <summary><c>trigger</c> or <c>wal</c>.</summary>
    public string Name { get; }

    public bool Wal => Name == "wal";

    /// <summary>The configured name of the source database: <c>src</c>, or a unique one in WAL mode.</summary>
    public string Source { get; }

    /// <summary>The sync's capture mode for <see cref="EngineHarness.Start"/>.</summary>
    public CaptureMode Mode => Wal ? CaptureMode.Wal : CaptureMode.Row;

    /// <summary>What a HOCON database block adds: <c>, capture-mode = wal</c> in WAL mode.</summary>
    public string DatabaseSetting => Wal ? ", capture-mode = wal" : "";

    /// <summary>The application name of the connection that carries the changes' wake-ups: the listener's, or the replication connection.</summary>
    public string ListenerApplicationName => Wal ? "actorsync-wal" : "actorsync-listener";

    public static CaptureVariant For(string name) => name is "trigger" or "wal"
        ? new CaptureVariant(name)
        : throw new ArgumentException($"Unknown capture variant '{name}': trigger or wal.", nameof(name));

    /// <summary>Fails a WAL variant on a server without <c>wal_level = logical</c>.</summary>
    public async Task RequireAsync(NpgsqlDataSource source)
    {
        if (Wal)
        {
            await WalTestSupport.RequireLogicalWalAsync(source);
        }
    }

    /// <summary><paramref name="databases"/> with <c>src</c> named <see cref="Source"/>.</summary>
    public Dictionary<string, string> Databases(IReadOnlyDictionary<string, string> databases) =>
        databases.ToDictionary(d => d.Key == "src" ? Source : d.Key, d => d.Value, StringComparer.Ordinal);

    /// <summary>Starts the engine with the source database in this capture mode.</summary>
    public SyncEngine Start(IReadOnlyDictionary<string, string> databases, IEnumerable<SyncDefinition> syncs) =>
        EngineHarness.Start(databases, syncs, Mode, configure: options =>
        {
            if (Wal)
            {
                options.Databases[Source].CaptureMode = DatabaseCaptureMode.Wal;
            }
        });

    /// <summary>Drops the WAL variant's slot and publication (a slot left on the shared server would retain its WAL).</summary>
    public async Task CleanUpAsync(NpgsqlDataSource source)
    {
        if (Wal)
        {
            await WalTestSupport.DropSlotAsync(source, Source);
        }
    }

    public override string ToString() => Name;
}
