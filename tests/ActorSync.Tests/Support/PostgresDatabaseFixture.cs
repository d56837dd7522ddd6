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
