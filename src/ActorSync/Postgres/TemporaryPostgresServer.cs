using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace ActorSync.Postgres;

/// <summary>
/// A throwaway PostgreSQL server, the one <c>actorsync demo</c> runs against: a fresh cluster in a temporary folder,
/// on a free loopback port, started from the local server binaries. Disposing it stops the server by PID and deletes
/// the folder. A watchdog outside this process does the same if this process dies first (Ctrl+C, SIGKILL), so an
/// aborted demo leaves no server and no folder behind.
/// </summary>
public sealed class TemporaryPostgresServer : IAsyncDisposable, IDisposable
{
    private const int PortAttempts = 5;
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    private readonly PostgresBinaries _binaries;
    private int _disposed;

    private TemporaryPostgresServer(PostgresBinaries binaries, string rootDirectory, string password)
    {
        _binaries = binaries;
        RootDirectory = rootDirectory;
        Password = password;
    }

    /// <summary>The temporary folder holding the cluster, its socket and its log.</summary>
    public string RootDirectory { get; }

    /// <summary>The cluster's data directory.</summary>
    public string DataDirectory => Path.Combine(RootDirectory, "data");

    /// <summary>The server log.</summary>
    public string LogFile => Path.Combine(RootDirectory, "server.log");

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The postmaster's PID while the server runs.</summary>
    public int ProcessId { get; private set; }

    /// <summary>The superuser's name.</summary>
    public string UserName => "postgres";

    /// <summary>The superuser's password: random per server. TCP connections use scram-sha-256.</summary>
    public string Password { get; }

    /// <summary>The server's major version, e.g. 15.</summary>
    public int MajorVersion { get; private set; }

    /// <summary>A connection string to the <c>postgres</c> database as the superuser.</summary>
    public string ConnectionString => GetConnectionString("postgres");

    /// <summary>True while the postmaster process is alive.</summary>
    public bool IsRunning => ProcessId > 0 && CommandRunner.IsAlive(ProcessId);

    /// <summary>A connection string to <paramref name="database"/> as the superuser.</summary>
    public string GetConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = UserName,
        Password = Password,
        Database = database,
    }.ConnectionString;

    /// <summary>
    /// Creates a cluster and starts it, returning once it accepts connections.
    /// </summary>
    /// <exception cref="InvalidOperationException">No server binaries are installed, or the server would not start
    /// (the message carries the server's own output).</exception>
    public static async Task<TemporaryPostgresServer> StartAsync(
        TemporaryPostgresServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TemporaryPostgresServerOptions();
        var binaries = options.Binaries ?? PostgresBinaries.Find();
        var root = Directory.CreateTempSubdirectory("actorsync-pg-").FullName;
        var server = new TemporaryPostgresServer(binaries, root, RandomPassword());
        try
        {
            if (CommandRunner.RunsAsPostgresUser)
            {
                await CommandRunner.RunCheckedAsync("chown", [CommandRunner.PostgresOsUser, root], false, cancellationToken);
            }

            StartWatchdog(options.OwnerProcessId ?? Environment.ProcessId, root);
            await server.InitializeClusterAsync(options, cancellationToken);
            await server.StartFirstTimeAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server in the given mode and waits until the postmaster has exited.</summary>
    public async Task StopAsync(PostgresShutdownMode mode = PostgresShutdownMode.Fast, CancellationToken cancellationToken = default)
    {
        var pid = ProcessId;
        if (pid <= 0)
        {
            return;
        }

        CommandRunner.Signal(pid, SignalFor(mode));
        var deadline = Stopwatch.StartNew();
        while (CommandRunner.IsAlive(pid))
        {
            if (deadline.Elapsed > ShutdownTimeout)
            {
                CommandRunner.Signal(pid, "KILL");
            }

            await Task.Delay(50, cancellationToken);
        }

        ProcessId = 0;
    }

    /// <summary>Creates a database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {Sql.Identifier.Quote(name)}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return GetConnectionString(name);
    }

    /// <summary>Stops the server (fast, then harder if it does not stop) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await StopAsync(PostgresShutdownMode.Fast, CancellationToken.None);
        }
        finally
        {
            DeleteRoot();
        }
    }

    /// <summary>Synchronous dispose, for process-exit handlers.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task InitializeClusterAsync(TemporaryPostgresServerOptions options, CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(RootDirectory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, Password + "\n", cancellationToken);
        if (CommandRunner.RunsAsPostgresUser)
        {
            await CommandRunner.RunCheckedAsync("chown", [CommandRunner.PostgresOsUser, passwordFile], false, cancellationToken);
        }

        await CommandRunner.RunCheckedAsync(
            _binaries.InitDb,
            [
                "-D", DataDirectory, "-U", UserName, "--pwfile", passwordFile, "-E", "UTF8", "--no-locale",
                "--auth-host=scram-sha-256", "--auth-local=trust", "--no-sync",
            ],
            asPostgresUser: true,
            cancellationToken);
        File.Delete(passwordFile);

        var version = await File.ReadAllTextAsync(Path.Combine(DataDirectory, "PG_VERSION"), cancellationToken);
        MajorVersion = int.Parse(version.Trim(), CultureInfo.InvariantCulture);

        var settings = new Dictionary<string, string>
        {
            ["listen_addresses"] = "'127.0.0.1'",
            ["unix_socket_directories"] = $"'{RootDirectory}'",
            ["max_connections"] = options.MaxConnections.ToString(CultureInfo.InvariantCulture),
            ["wal_level"] = "logical",
            ["max_wal_senders"] = "10",
            ["max_replication_slots"] = "10",
            ["shared_buffers"] = "128MB",
            ["max_wal_size"] = "2GB",
            ["fsync"] = options.Fsync ? "on" : "off",
            ["logging_collector"] = "off",
            ["log_min_messages"] = "warning",
            ["log_line_prefix"] = "'%m [%p] %d '",
        };
        if (!options.Fsync)
        {
            // Only asked-for unsafety: with fsync off, waiting for commit flushes buys nothing either.
            settings["synchronous_commit"] = "off";
            settings["full_page_writes"] = "off";
        }

        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        var conf = new StringBuilder("\n# ---- ActorSync TemporaryPostgresServer ----\n");
        foreach (var (key, value) in settings)
        {
            conf.Append(key).Append(" = ").Append(value).Append('\n');
        }

        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), conf.ToString(), cancellationToken);
    }

    private async Task StartFirstTimeAsync(CancellationToken cancellationToken)
    {
        var confPath = Path.Combine(DataDirectory, "postgresql.conf");
        for (var attempt = 1; ; attempt++)
        {
            Port = FreeLoopbackPort();
            await File.AppendAllTextAsync(
                confPath, $"port = {Port.ToString(CultureInfo.InvariantCulture)}\n", cancellationToken);
            var (exitCode, output) = await PgCtlStartAsync(cancellationToken);
            if (exitCode == 0)
            {
                break;
            }

            // Another process may have taken the port between our probe and the server's bind: try another one.
            var log = TailOfLog();
            if (attempt < PortAttempts && log.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            throw new InvalidOperationException($"PostgreSQL would not start: {output.Trim()} {log}");
        }

        ProcessId = ReadPostmasterPid();
        await WaitUntilAcceptingAsync(cancellationToken);
    }

    private Task<(int ExitCode, string Output)> PgCtlStartAsync(CancellationToken cancellationToken) =>
        CommandRunner.RunAsync(
            _binaries.PgCtl, ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "120"], asPostgresUser: true, cancellationToken);

    private async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        // pg_ctl -w has already pinged the server; one real login proves the password and the port.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private int ReadPostmasterPid()
    {
        var first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First();
        return int.Parse(first.Trim(), CultureInfo.InvariantCulture);
    }

    private string TailOfLog()
    {
        try
        {
            var lines = File.ReadAllLines(LogFile);
            return "Server log: " + string.Join(" | ", lines.TakeLast(8));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private void DeleteRoot()
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(RootDirectory))
                {
                    Directory.Delete(RootDirectory, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 2)
            {
                // A backend may still be writing its last file while exiting.
                Thread.Sleep(200);
            }
        }
    }

    private static string SignalFor(PostgresShutdownMode mode) => mode switch
    {
        PostgresShutdownMode.Smart => "TERM",
        PostgresShutdownMode.Fast => "INT",
        PostgresShutdownMode.Immediate => "QUIT",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown shutdown mode."),
    };

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RandomPassword() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    // The watchdog is a detached shell (its own session, so Ctrl+C in the terminal does not reach it) that polls the
    // owner process. When the owner is gone but the folder is still there, the owner died without disposing: stop
    // the postmaster by the PID in postmaster.pid and delete the folder. It exits by itself once the folder is gone.
    private const string WatchdogScript = """
        exec </dev/null >/dev/null 2>&1
        owner=$1; dir=$2
        alive() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]; }
        while alive "$owner" && [ -d "$dir" ]; do sleep 1; done
        [ -d "$dir" ] || exit 0
        pidfile="$dir/data/postmaster.pid"
        if [ -f "$pidfile" ]; then
          pid=$(head -n 1 "$pidfile")
          kill -INT "$pid"
          i=0; while alive "$pid" && [ $i -lt 150 ]; do sleep 0.2; i=$((i+1)); done
          kill -KILL "$pid"
        fi
        rm -rf "$dir"
        """;

    private static void StartWatchdog(int ownerPid, string root)
    {
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     "-f", "/bin/sh", "-c", WatchdogScript, "actorsync-pg-watchdog",
                     ownerPid.ToString(CultureInfo.InvariantCulture), root,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("Could not start the server watchdog (setsid).");
        process.WaitForExit();
    }
}
