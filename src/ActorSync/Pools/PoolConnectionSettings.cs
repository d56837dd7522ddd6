using ActorSync.Configuration;
using Npgsql;

namespace ActorSync.Pools;

/// <summary>
/// What ActorSync's pools change in a configured connection string. A setting the string itself names is left alone,
/// whatever its value: the user's choice wins.
/// </summary>
internal static class PoolConnectionSettings
{
    /// <summary>
    /// Npgsql's read and write buffers for the pools' connections. A snapshot relays COPY data through them, one
    /// protocol message per row: at Npgsql's default 8 KB the relay took 0.88 s of CPU per 1,000,000 rows of the bench's
    /// shape, at 64 KB 0.63 s. That is 128 KB per connection.
    /// </summary>
    public const int CopyBufferSize = 64 * 1024;

    public static void Apply(NpgsqlConnectionStringBuilder builder, DatabaseOptions options, ConnectionRole role)
    {
        builder.ApplicationName ??= "actorsync-" + role.ToString().ToLowerInvariant();
        builder.MaxPoolSize = Math.Max(1, options.MaxConnections);
        builder.IncludeErrorDetail = true;
        if (builder.MaxAutoPrepare == 0 && !Mentions(options.ConnectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!Mentions(options.ConnectionString, "Read Buffer Size", "ReadBufferSize"))
        {
            builder.ReadBufferSize = CopyBufferSize;
        }

        if (!Mentions(options.ConnectionString, "Write Buffer Size", "WriteBufferSize"))
        {
            builder.WriteBufferSize = CopyBufferSize;
        }
    }

    private static bool Mentions(string connectionString, params string[] keys)
    {
        var generic = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return keys.Any(generic.ContainsKey);
    }
}
