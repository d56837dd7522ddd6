namespace ActorSync.Postgres;

/// <summary>PostgreSQL's shutdown modes (<c>pg_ctl stop -m</c>), each sent as the matching signal.</summary>
public enum PostgresShutdownMode
{
    /// <summary>SIGTERM: wait for clients to disconnect.</summary>
    Smart,

    /// <summary>SIGINT: roll back open transactions, disconnect clients, shut down cleanly.</summary>
    Fast,

    /// <summary>SIGQUIT: abort at once; the next start runs crash recovery.</summary>
    Immediate,
}
