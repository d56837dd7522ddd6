using Npgsql;

namespace ActorSync.Actors;

/// <summary>
/// One line describing a failure for status and logs: the PostgreSQL error with its SQLSTATE and detail, or the
/// exception's message. Never the connection string: Npgsql does not put passwords in its messages, and neither do we.
/// </summary>
public static class ErrorText
{
    public static string Describe(Exception error)
    {
        var inner = error switch
        {
            AggregateException { InnerExceptions.Count: 1 } aggregate => aggregate.InnerExceptions[0],
            SyncFailedException { InnerException: { } cause } => cause,
            _ => error,
        };
        return inner switch
        {
            PostgresException pg => $"{pg.SqlState}: {pg.MessageText}" +
                                    (string.IsNullOrEmpty(pg.Detail) || pg.Detail.StartsWith("Detail redacted", StringComparison.Ordinal) ? "" : $" ({pg.Detail})") +
                                    (pg.TableName is null ? "" : $" [table {pg.TableName}]"),
            NpgsqlException { InnerException: { } cause } npgsql => $"{npgsql.Message}: {cause.Message}",
            _ => inner.Message,
        };
    }
}
