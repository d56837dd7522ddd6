using System.Net;
using System.Security.Cryptography;
using ActorSync.Postgres;
using ActorSync.Sql;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using Npgsql;
using Testcontainers.PostgreSql;

namespace ActorSync.Tests.Support;

/// <summary>
/// A PostgreSQL server in a container (Testcontainers.PostgreSql), published on 127.0.0.1 only. Tests that stop and
/// start their server ask for a fixed port: Docker gives a restarted container a new random port, and the service
/// under test must find its server where it left it, as it would a real one. Disposing removes the container and its
/// volume; Testcontainers' reaper removes them too if the test process dies first.
/// </summary>
public sealed class PostgresContainer : IAsyncDisposable
{
    private const ushort ServerPort = PostgreSqlBuilder.PostgreSqlPort;
    private const int PortAttempts = 5;

    private readonly PostgreSqlContainer _container;

    private PostgresContainer(PostgreSqlContainer container, string image, string password)
    {
        _container = container;
        Image = image;
        Password = password;
    }

    /// <summary>The image it runs, e.g. <c>postgres:17</c>.</summary>
    public string Image { get; }

    /// <summary>The host port on 127.0.0.1; the same after a restart when the container was started with a fixed port.</summary>
    public int Port { get; private set; }

    /// <summary>The superuser's name.</summary>
    public string UserName => PostgreSqlBuilder.DefaultUsername;

    /// <summary>The superuser's password: random per container.</summary>
    public string Password { get; }

    /// <summary>The server's major version, e.g. 17.</summary>
    public int MajorVersion { get; private set; }

    /// <summary>The container's id, for <c>docker</c> commands.</summary>
    public string ContainerId => _container.Id;

    /// <summary>A connection string to the <c>postgres</c> database as the superuser.</summary>
    public string ConnectionString => GetConnectionString("postgres");

    /// <summary>A connection string to <paramref name="database"/> as the superuser.</summary>
    public string GetConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = UserName,
        Password = Password,
        Database = database,
        IncludeErrorDetail = true,
    }.ConnectionString;

    /// <summary>
    /// Starts a container from <paramref name="image"/> (default: <see cref="TestEnvironment.PostgresImage"/>) and returns
    /// once the server accepts logins. With <paramref name="fixedPort"/> the host port is chosen here and stays the
    /// container's across restarts. <paramref name="configure"/> adds to the container (mounts, environment).
    /// </summary>
    /// <exception cref="InvalidOperationException">No Docker engine answers, or the container would not start; the
    /// message says what to install or set.</exception>
    public static async Task<PostgresContainer> StartAsync(
        string? image = null, bool fixedPort = false, Func<PostgreSqlBuilder, PostgreSqlBuilder>? configure = null, string? purpose = null)
    {
        image ??= TestEnvironment.PostgresImage;
        for (var attempt = 1; ; attempt++)
        {
            var port = fixedPort ? TestEnvironment.FreeLoopbackPort() : 0;
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            PostgreSqlContainer container;
            try
            {
                container = (configure ?? (b => b))(Builder(image, port, password)).Build();
            }
            catch (DockerUnavailableException e)
            {
                // Testcontainers' first line says it; the endpoints it tried follow in the inner exceptions.
                var cause = e.Message.Split('\n')[0].Trim();
                throw new InvalidOperationException(
                    purpose is null ? TestEnvironment.NoPostgres(cause) : TestEnvironment.NeedsDocker(purpose, cause), e);
            }

            var server = new PostgresContainer(container, image, password);
            try
            {
                await container.StartAsync();
                await server.ReadAddressAsync();
                return server;
            }
            catch (Exception e) when (fixedPort && attempt < PortAttempts && IsPortTaken(e))
            {
                // Another process took the port between our probe and Docker's bind: try another one.
                await server.DisposeAsync();
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException(TestEnvironment.ContainerDidNotStart(image, e.Message), e);
            }
        }
    }

    /// <summary>Creates a database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {Identifier.Quote(name)}", connection);
        await command.ExecuteNonQueryAsync();
        return GetConnectionString(name);
    }

    /// <summary>
    /// Stops the server and waits until its container has exited: <c>docker stop</c> sends the image's stop signal,
    /// SIGINT, a fast shutdown; an immediate shutdown is SIGQUIT to the postmaster (PID 1), which leaves crash recovery
    /// to the next start, as a power cut would.
    /// </summary>
    public async Task StopAsync(PostgresShutdownMode mode = PostgresShutdownMode.Fast)
    {
        NpgsqlConnection.ClearAllPools();
        switch (mode)
        {
            case PostgresShutdownMode.Fast:
                await _container.StopAsync();
                break;
            case PostgresShutdownMode.Immediate:
                // The shell's own kill: the image need not ship one. PID 1 only receives signals it handles; the
                // postmaster handles SIGQUIT.
                await _container.ExecAsync(["sh", "-c", "kill -QUIT 1"]);
                await _container.GetExitCodeAsync();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Only fast and immediate shutdowns are used by the tests.");
        }
    }

    /// <summary>Starts the stopped container again (same data, same port) and returns once the server accepts logins.</summary>
    public async Task StartAsync()
    {
        await _container.StartAsync();
        await ReadAddressAsync();
    }

    /// <summary>Stops the server in the given mode and starts it again.</summary>
    public async Task RestartAsync(PostgresShutdownMode mode = PostgresShutdownMode.Fast)
    {
        await StopAsync(mode);
        await StartAsync();
    }

    /// <summary>Runs a command in the container; returns its exit code and its output and errors.</summary>
    public async Task<(long ExitCode, string Output)> ExecAsync(params string[] command)
    {
        var result = await _container.ExecAsync(command);
        return (result.ExitCode ?? -1, result.Stdout + result.Stderr);
    }

    /// <summary>Removes the container and its data volume.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _container.DisposeAsync();
    }

    private static PostgreSqlBuilder Builder(string image, int hostPort, string password)
    {
        var builder = new PostgreSqlBuilder(image).WithPassword(password);
        if (hostPort != 0)
        {
            builder = builder.WithPortBinding(hostPort, ServerPort);
        }

        return builder
            // The builder turns durability off already (fsync, full_page_writes, synchronous_commit). Test classes run
            // in parallel, each with its pools; logical decoding is there for WAL capture.
            .WithCommand("-c", "max_connections=200")
            .WithCommand("-c", "wal_level=logical")
            .WithCommand("-c", "max_wal_senders=20")
            .WithCommand("-c", "max_replication_slots=20")
            .WithCreateParameterModifier(parameters =>
            {
                var host = parameters.HostConfig ??= new HostConfig();

                // Published on the loopback address only, whatever the engine's default (dockerd --ip).
                foreach (var binding in host.PortBindings?.Values.SelectMany(b => b) ?? [])
                {
                    binding.HostIP = IPAddress.Loopback.ToString();
                }

                // Docker's 64 MB /dev/shm is too small for PostgreSQL's parallel queries (dynamic shared memory).
                host.ShmSize = 256L * 1024 * 1024;
            })
            // A real login through the published port, tried often: pg_isready inside the container is asked once a
            // second, and tests that restart the server would wait for it every time.
            .WithWaitStrategy(Wait.ForUnixContainer().AddCustomWaitStrategy(
                new AcceptsLogins(password), strategy => strategy.WithInterval(TimeSpan.FromMilliseconds(100)).WithTimeout(TimeSpan.FromMinutes(2))));
    }

    private async Task ReadAddressAsync()
    {
        Port = _container.GetMappedPublicPort(ServerPort);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        MajorVersion = connection.PostgreSqlVersion.Major;
    }

    private static bool IsPortTaken(Exception e) =>
        e.ToString().Contains("port is already allocated", StringComparison.OrdinalIgnoreCase)
        || e.ToString().Contains("address already in use", StringComparison.OrdinalIgnoreCase);


    /// <summary>Ready once the superuser logs in over TCP: the image's init runs on a socket-only server first.</summary>
    private sealed class AcceptsLogins(string password) : IWaitUntil
    {
        public async Task<bool> UntilAsync(IContainer container)
        {
            var address = new NpgsqlConnectionStringBuilder
            {
                Host = IPAddress.Loopback.ToString(),
                Port = container.GetMappedPublicPort(ServerPort),
                Username = PostgreSqlBuilder.DefaultUsername,
                Password = password,
                Database = "postgres",
                Pooling = false,
                Timeout = 5,
            };
            try
            {
                await using var connection = new NpgsqlConnection(address.ConnectionString);
                await connection.OpenAsync();
                return true;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                return false;
            }
        }
    }
}
