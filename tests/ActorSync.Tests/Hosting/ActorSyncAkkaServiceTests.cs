using ActorSync.Actors;
using ActorSync.Cli;
using ActorSync.Configuration;
using ActorSync.Hosting;
using ActorSync.Tests.Support;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorSync.Tests.Hosting;

/// <summary>
/// The exit codes of <c>actorsync run</c> on Akka.Hosting (issue 17): a host stop is exit code 0 through
/// CoordinatedShutdown; an actor system or engine that cannot start, or that terminates on its own, is exit code 1 with
/// one readable log line and no stack trace; an <c>akka</c> setting Akka refuses is bad input, exit code 2. (Bad
/// configuration and failed start-up checks: see <c>RunCommandTests</c> and <c>BadInputMatrixTests</c>.)
/// </summary>
public sealed class ActorSyncAkkaServiceTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public Task InitializeAsync() => database.ExecuteAsync("CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, v text)");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Stopping_the_host_runs_coordinated_shutdown_and_exits_0()
    {
        using var config = WriteConfig();
        var logs = new LogCollector();
        using var host = Build(config, logs);
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        await WaitForEngineAsync(host);

        await host.StopAsync();

        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.IsType<CoordinatedShutdown.ClrExitReason>(CoordinatedShutdown.Get(system).ShutdownReason);
        Assert.Equal(ExitCodes.Ok, host.Services.GetRequiredService<ServiceExit>().ExitCode);
        Assert.Contains("ActorSync stopped", logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_that_throws_while_it_starts_ends_the_run_with_exit_code_1_and_one_line()
    {
        using var config = WriteConfig();
        var logs = new LogCollector();
        using var host = Build(config, logs, services => services.AddSingleton<EngineState>(
            _ => throw new InvalidOperationException("the engine's state could not be built")));

        await RunToEndAsync(host);

        Assert.Equal(ExitCodes.Failure, host.Services.GetRequiredService<ServiceExit>().ExitCode);
        AssertOneReadableFailureLine(logs, "The actor system could not start: the engine's state could not be built");
    }

    [Fact]
    public async Task A_root_actor_that_fails_to_start_ends_the_run_with_exit_code_1_and_one_line()
    {
        using var config = WriteConfig();
        var logs = new LogCollector();

        // A sync whose source database is not configured: the guardian's PreStart throws, and Akka's user guardian
        // stops it (ActorInitializationException). The service must not go on running without its engine.
        using var host = Build(config, logs, services => services.AddSingleton(provider =>
        {
            var configuration = provider.GetRequiredService<ActorSyncConfiguration>();
            var broken = configuration.Syncs[0] with { Source = TableName.Parse("elsewhere:public.items") };
            return new EngineState(configuration.Options, [broken], EngineSettings.From(configuration.Options), provider.GetRequiredService<ILoggerFactory>());
        }));

        await RunToEndAsync(host);

        Assert.Equal(ExitCodes.Failure, host.Services.GetRequiredService<ServiceExit>().ExitCode);
        AssertOneReadableFailureLine(logs, "The engine could not start: The given key 'elsewhere' was not present in the dictionary.; the service stops");
    }

    [Fact]
    public async Task An_actor_system_that_terminates_on_its_own_ends_the_run_with_exit_code_1()
    {
        using var config = WriteConfig();
        var logs = new LogCollector();
        using var host = Build(config, logs);
        await host.StartAsync();
        await WaitForEngineAsync(host);

        var run = host.WaitForShutdownAsync();
        await host.Services.GetRequiredService<ActorSystem>().Terminate();
        await run.WaitAsync(Timeout);

        var exitCode = host.Services.GetRequiredService<ServiceExit>().ExitCode;
        Assert.True(exitCode == ExitCodes.Failure, $"exit code {exitCode}; the service's log:\n{logs.Text}");
        Assert.Contains("The actor system stopped on its own", logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_akka_setting_that_akka_refuses_is_bad_input_exit_code_2()
    {
        using var config = WriteConfig("akka { actor { provider = \"No.Such.Provider, No.Such.Assembly\" } }");
        var logs = new LogCollector();
        using var host = Build(config, logs);

        await RunToEndAsync(host);

        Assert.Equal(ExitCodes.BadInput, host.Services.GetRequiredService<ServiceExit>().ExitCode);
        AssertOneReadableFailureLine(logs, "The actor system could not start: ");
    }

    private ConfigFile WriteConfig(string akka = "")
    {
        var config = ConfigFile.Write(
            new Dictionary<string, string> { ["src"] = database.ConnectionString },
            ["{ name = items, source = \"src:public.items\", target = \"src:public.items_copy\", create-target = true }"]);
        File.AppendAllText(config.Path, "\n" + akka + "\n");
        return config;
    }

    private static IHost Build(ConfigFile config, LogCollector logs, Action<IServiceCollection>? configureServices = null) =>
        ActorSyncHost.Build(
            ActorSyncConfiguration.Load(config.Path),
            logging =>
            {
                // The service's own console set-up (its filters decide what reaches any sink), plus a sink to read.
                logging.AddActorSyncConsole();
                logging.AddProvider(logs);
            },
            configureServices);

    private static async Task RunToEndAsync(IHost host)
    {
        await host.StartAsync().WaitAsync(Timeout);
        await host.WaitForShutdownAsync().WaitAsync(Timeout);
    }

    private static Task WaitForEngineAsync(IHost host) =>
        Eventually.AssertAsync(() =>
        {
            Assert.NotNull(host.Services.GetRequiredService<EngineAccessor>().Engine);
            return Task.CompletedTask;
        });

    private static void AssertOneReadableFailureLine(LogCollector logs, string expected)
    {
        var failures = logs.Lines.Where(l => l.StartsWith("Critical", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)).ToArray();
        var line = Assert.Single(failures);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", line, StringComparison.Ordinal);
    }
}
