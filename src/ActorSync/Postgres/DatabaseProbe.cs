using System.Net.Sockets;
using ActorSync.Configuration;
using Npgsql;

namespace ActorSync.Postgres;

/// <summary>
/// Opens a connection to a configured database and turns failures into one sentence naming the database, the host
/// and what went wrong — never the password or the connection string.
/// </summary>
public static class DatabaseProbe
{
    /// <summary>Whether a failure is bad input (wrong password, no such database or role) rather than a runtime fault.</summary>
    public static bool IsBadInput(Exception error) =>
        error is PostgresException { SqlState: "28P01" or "28000" or "3D000" } || error is ArgumentException;

    /// <summary>Opens a connection (short timeout), or returns the message saying why it could not.</summary>
    public static async Task<(NpgsqlConnection? Connection, string? Problem, Exception? Error)> OpenAsync(
        string name, DatabaseOptions options, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Timeout = 10, Pooling = false, ApplicationName = "actorsync-check", IncludeErrorDetail = true };
        }
        catch (ArgumentException invalid)
        {
            return (null, $"database '{name}': the connection-string is not valid: {invalid.Message}", invalid);
        }

        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return (connection, null, null);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or SocketException)
        {
            await connection.DisposeAsync();
            return (null, $"database '{name}': {Describe(builder, error)}", error);
        }
    }

    private static string Describe(NpgsqlConnectionStringBuilder builder, Exception error)
    {
        var where = $"{builder.Host ?? "localhost"}:{builder.Port}";
        return error switch
        {
            PostgresException { SqlState: "28P01" } => $"password authentication failed for user '{builder.Username}' at {where}",
            PostgresException { SqlState: "28000" } pg => $"{pg.MessageText} at {where}",
            PostgresException { SqlState: "3D000" } => $"database \"{builder.Database}\" does not exist at {where}",
            PostgresException pg => $"{pg.SqlState}: {pg.MessageText} at {where}",
            NpgsqlException { InnerException: SocketException socket } => $"cannot reach {where}: {socket.Message}",
            NpgsqlException { InnerException: TimeoutException } or TimeoutException => $"cannot reach {where}: timed out after {builder.Timeout} s",
            _ => $"cannot connect to {where}: {error.Message}",
        };
    }
}
