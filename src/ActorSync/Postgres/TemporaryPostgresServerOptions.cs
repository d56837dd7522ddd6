namespace ActorSync.Postgres;

/// <summary>Settings for a <see cref="TemporaryPostgresServer"/>.</summary>
public sealed class TemporaryPostgresServerOptions
{
    /// <summary>
    /// Keep <c>fsync</c> on (the default). Turn it off only when asked: it makes the server fast and unsafe,
    /// which is fine for a throwaway test cluster but never for anything measured against a peer.
    /// </summary>
    public bool Fsync { get; init; } = true;

    /// <summary>Connections the server accepts. Tests run classes in parallel, each with its own pools.</summary>
    public int MaxConnections { get; init; } = 200;

    /// <summary>Extra <c>postgresql.conf</c> settings, written after the defaults (so they win).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The process whose death must take the server down with it (default: this process). A watchdog outside this
    /// process stops the server and deletes its folder once the owner is gone, so a killed test run leaves nothing.
    /// </summary>
    public int? OwnerProcessId { get; init; }

    /// <summary>Where the server programs are; found automatically when null.</summary>
    public PostgresBinaries? Binaries { get; init; }
}
