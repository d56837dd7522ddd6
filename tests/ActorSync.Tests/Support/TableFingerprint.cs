using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>Row count plus an ordered hash of a query's rows: equal fingerprints mean equal contents.</summary>
public static class TableFingerprint
{
    /// <summary>Fingerprints <c>SELECT <paramref name="columns"/> FROM <paramref name="table"/> ORDER BY <paramref name="orderBy"/></c>.</summary>
    public static async Task<string> OfAsync(NpgsqlDataSource dataSource, string table, string orderBy, string columns = "*", string? where = null)
    {
        var sql =
            $"SELECT count(*) || ':' || coalesce(md5(string_agg(md5(r::text), '' ORDER BY r.ord)), '-') FROM " +
            $"(SELECT row_number() OVER (ORDER BY {orderBy}) AS ord, x.* FROM (SELECT {columns} FROM {table}" +
            $"{(where is null ? "" : $" WHERE ({where})")}) x) r";
        await using var command = dataSource.CreateCommand(sql);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Asserts target equals source, comparing the same projection on both sides.</summary>
    public static async Task AssertEqualAsync(
        NpgsqlDataSource source, string sourceTable, NpgsqlDataSource target, string targetTable, string orderBy,
        string columns = "*", string? sourceWhere = null)
    {
        var expected = await OfAsync(source, sourceTable, orderBy, columns, sourceWhere);
        var actual = await OfAsync(target, targetTable, orderBy, columns);
        Assert.Equal(expected, actual);
    }
}
