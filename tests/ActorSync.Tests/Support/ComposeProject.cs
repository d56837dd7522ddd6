using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using ActorSync.Tests.Docker;

namespace ActorSync.Tests.Support;

/// <summary>
/// The repository's docker-compose.yml run for real, under a project name of its own (<c>actorsync-test-…</c>, so it
/// never meets a user's stack and .ci/run can tell what is ours) with the demo profile, and the admin endpoint
/// published on a free port of 127.0.0.1. Disposing runs <c>docker compose down -v</c>: containers, network and volume go.
/// </summary>
public sealed class ComposeProject : IAsyncDisposable
{
    /// <summary>Every project the tests start is named so; .ci/run looks for leftovers by this prefix.</summary>
    public const string NamePrefix = "actorsync-test-";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);
    private readonly IReadOnlyDictionary<string, string> _environment;
    private int _down;

    private ComposeProject(string name, int adminPort, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        AdminPort = adminPort;
        _environment = environment;
    }

    /// <summary>The compose project's name.</summary>
    public string Name { get; }

    /// <summary>The host port (on 127.0.0.1) the admin endpoint is published on.</summary>
    public int AdminPort { get; }

    /// <summary>The admin endpoint as the host reaches it.</summary>
    public Uri AdminUrl => new($"http://127.0.0.1:{AdminPort.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>
    /// A project ready to run once <c>docker</c> and its compose plugin answer; fails with the message saying how to get
    /// them otherwise. <paramref name="environment"/> is passed to compose (e.g. WRITER_RATE).
    /// </summary>
    public static async Task<ComposeProject> CreateAsync(string purpose, IReadOnlyDictionary<string, string>? environment = null)
    {
        var name = NamePrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        var port = TestEnvironment.FreeLoopbackPort();
        var all = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["ACTORSYNC_ADMIN_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        };
        var project = new ComposeProject(name, port, all);
        foreach (var check in new[] { new[] { "info", "--format", "{{.ServerVersion}}" }, ["compose", "version"] })
        {
            var (exitCode, output) = await project.RunDockerAsync(check, TimeSpan.FromMinutes(1));
            if (exitCode != 0)
            {
                throw new InvalidOperationException(TestEnvironment.NeedsDocker(purpose, $"docker {string.Join(' ', check)}: {output.Trim()}"));
            }
        }

        return project;
    }

    /// <summary><c>docker compose -p NAME -f docker-compose.yml --profile demo ARGUMENTS</c>; returns its exit code and output.</summary>
    public Task<(int ExitCode, string Output)> RunAsync(TimeSpan? timeout, params string[] arguments) =>
        RunDockerAsync(["compose", "--project-name", Name, "--file", RepositoryFiles.PathOf("docker-compose.yml"), "--profile", "demo", .. arguments], timeout ?? DefaultTimeout);

    /// <summary>As <see cref="RunAsync"/>, failing the test with the output and the services' last log lines when it fails.</summary>
    public async Task<string> RunCheckedAsync(TimeSpan? timeout, params string[] arguments)
    {
        var (exitCode, output) = await RunAsync(timeout, arguments);
        if (exitCode != 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"docker compose {string.Join(' ', arguments)} exited with {exitCode}:\n{output}\n--- docker compose logs (last lines) ---\n{await LogsAsync()}");
        }

        return output;
    }

    /// <summary>The last log lines of every service.</summary>
    public async Task<string> LogsAsync() => (await RunAsync(TimeSpan.FromMinutes(1), "logs", "--no-color", "--tail", "60")).Output;

    /// <summary>SQL run by <c>psql</c> inside the postgres service, as its superuser; returns the unaligned result.</summary>
    public async Task<string> PsqlAsync(string database, string sql) =>
        (await RunCheckedAsync(TimeSpan.FromMinutes(1), "exec", "-T", "postgres", "psql", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-AtX", "-c", sql)).Trim();

    /// <summary>Any plain <c>docker</c> command (inspect, ps …).</summary>
    public Task<(int ExitCode, string Output)> RunDockerAsync(IEnumerable<string> arguments, TimeSpan timeout) => RunAsync("docker", arguments, timeout);

    /// <summary><c>docker compose down -v</c>: the project's containers, network and volume removed. Runs once.</summary>
    public async Task<string> DownAsync()
    {
        if (Interlocked.Exchange(ref _down, 1) != 0)
        {
            return "";
        }

        return await RunCheckedAsync(TimeSpan.FromMinutes(3), "down", "--volumes", "--remove-orphans", "--timeout", "10");
    }

    public async ValueTask DisposeAsync() => await DownAsync();

    private async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A token set where the tests run would turn the admin commands on: the test runs compose's defaults.
        start.Environment.Remove("ACTORSYNC_ADMIN_TOKEN");
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{program} could not be started: {e.Message}");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return (-1, $"{program} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}:\n{await output}{await errors}");
            }

            return (process.ExitCode, await output + await errors);
        }
    }

}
