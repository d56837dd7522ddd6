using System.Security.Cryptography;
using ActorSync.Sql;
using Npgsql;

namespace ActorSync.Tests.Support;

/// <summary>
/// A fresh database per test class (<c>IClassFixture&lt;PostgresDatabaseFixture&gt;</c>) on the shared server, so
/// classes run in parallel without seeing each other's data. Dropped when the class is done.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private readonly List<NpgsqlDataSource> _targets = [];
    private NpgsqlDataSource? _dataSource;

    /// <summary>The database's name.</summary>
    public string DatabaseName { get; private set; } = "";

    /// <summary>A superuser connection string to this class's database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>A data source on this class's database.</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        DatabaseName = await CreateDatabaseAsync("t");
        ConnectionString = await SharedPostgresServer.GetConnectionStringAsync(DatabaseName);
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>Creates one more database (dropped with this fixture), e.g. a target in another database.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}";
        await using var connection = new NpgsqlConnection(await SharedPostgresServer.GetAdminConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {Identifier.Quote(name)}", connection);
        await command.ExecuteNonQueryAsync();
        lock (_databases)
        {
            _databases.Add(name);
        }

        return name;
    }

    /// <summary>
    /// A second database for cross-database syncs, with <paramref name="tables"/> created empty in it and in this one
    /// (<c>id int PRIMARY KEY, v text</c>). Returns the target's data source (disposed with the fixture) and the
    /// databases as <c>src</c> (this one) and <c>tgt</c>, ready for <see cref="EngineHarness.Start"/> or a config file.
    /// </summary>
    public async Task<(NpgsqlDataSource Target, Dictionary<string, string> Databases)> CreateTargetAsync(params string[] tables)
    {
        var targetConnectionString = await SharedPostgresServer.GetConnectionStringAsync(await CreateDatabaseAsync("tgt"));
        var target = NpgsqlDataSource.Create(targetConnectionString);
        lock (_targets)
        {
            _targets.Add(target);
        }

        foreach (var table in tables)
        {
            var ddl = $"CREATE TABLE {Identifier.Quote(table)} (id int PRIMARY KEY, v text)";
            await ExecuteAsync(ddl);
            await using var command = target.CreateCommand(ddl);
            await command.ExecuteNonQueryAsync();
        }

        return (target, new Dictionary<string, string> { ["src"] = ConnectionString, ["tgt"] = targetConnectionString });
    }

    /// <summary>Runs SQL on this class's database.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a query and returns the first column of the first row.</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        foreach (var target in _targets)
        {
            await target.DisposeAsync();
        }

        await using var connection = new NpgsqlConnection(await SharedPostgresServer.GetAdminConnectionStringAsync());
        await connection.OpenAsync();
        foreach (var name in _databases)
        {
            // WITH (FORCE) ends sessions a test left open (PostgreSQL 13+).
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Identifier.Quote(name)} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
