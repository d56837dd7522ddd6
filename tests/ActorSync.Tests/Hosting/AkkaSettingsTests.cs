using ActorSync.Configuration;
using ActorSync.Hosting;
using ActorSync.Tests.Support;
using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.Logging;

namespace ActorSync.Tests.Hosting;

/// <summary>
/// One file configures ActorSync and Akka (issue 17): the top-level <c>akka</c> block is parsed and resolved by our HOCON
/// library and reaches Akka as a tree; Akka's log events reach Microsoft.Extensions.Logging one line each, under the
/// category of the class that logged, without Akka's own prefix; Akka's stdout logger is off.
/// </summary>
public sealed class AkkaSettingsTests
{
    /// <summary>A valid <c>actorsync</c> block (no database is contacted by these tests).</summary>
    private const string ActorSyncBlock = """
        actorsync {
          databases { main { connection-string = "Host=127.0.0.1;Database=app" } }
          syncs = [{ name = t, source = "main:public.t", target = "main:public.t_copy" }]
        }
        """;

    [Fact]
    public async Task The_akka_block_reaches_the_actor_system_with_case_arrays_and_substitutions_intact()
    {
        using var config = CliRun.WriteConfig(ActorSyncBlock + """

            ask = 7s
            akka {
              loglevel = WARNING
              actor.ask-timeout = ${ask}
              # Akka's parser overflows its stack on optional substitutions; ours resolves them before Akka sees the block.
              log-config-on-start = ${?ACTORSYNC_TEST_UNSET_VARIABLE}
              ActorSync-Test { Mixed-Case = [1, "two", { three = 3 }] }
            }
            """);
        var configuration = ActorSyncConfiguration.Load(config.Path);
        using var loggerFactory = LoggerFactory.Create(_ => { });
        var system = AkkaSettings.CreateSystem("settings-test", loggerFactory, configuration.Akka);
        try
        {
            Assert.Equal("WARNING", system.Settings.Config.GetString("akka.loglevel"));
            Assert.Equal(TimeSpan.FromSeconds(7), system.Settings.AskTimeout);
            Assert.False(system.Settings.Config.GetBoolean("akka.log-config-on-start"));
            var list = system.Settings.Config.GetValue("akka.ActorSync-Test.Mixed-Case").GetArray();
            Assert.Equal(3, list.Count);
            Assert.Equal("two", list[1].GetString());
            Assert.Equal(3, list[2].GetObject().GetKey("three").GetInt());
            Assert.Equal("OFF", system.Settings.Config.GetString("akka.stdout-loglevel"));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Keys_under_akka_are_akkas_to_judge_and_config_render_shows_them()
    {
        using var config = CliRun.WriteConfig(ActorSyncBlock + """

            akka { actor { default-dispatcher { throughput = 50 } }, no-such-akka-key = 1 }
            """);

        var (checkExit, checkOutput) = await CliRun.InvokeAsync("config", "check", config.Path);
        var (renderExit, rendered) = await CliRun.InvokeAsync("config", "render", config.Path);

        Assert.True(checkExit == 0, checkOutput);
        Assert.Equal(0, renderExit);
        Assert.Contains("\"throughput\": 50", rendered, StringComparison.Ordinal);
        Assert.Contains("\"no-such-akka-key\": 1", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_akka_value_that_is_not_an_object_is_bad_input_with_its_line_and_column()
    {
        using var config = CliRun.WriteConfig(ActorSyncBlock + """

            akka = 5
            """);

        var (exit, output) = await CliRun.InvokeAsync("run", "--config", config.Path);

        Assert.Equal(2, exit);
        Assert.Contains($"{config.Path}:5:8: akka: expected an object", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Akka_log_events_are_one_line_each_under_the_category_of_the_class_that_logged()
    {
        var logs = new LogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug));
        var system = AkkaSettings.CreateSystem("logging-test", loggerFactory);
        try
        {
            system.ActorOf(Props.Create(() => new ChattyActor()), "chatty").Tell("disk");
            await Eventually.AssertAsync(() =>
            {
                Assert.Contains($"Warning {typeof(ChattyActor).FullName}[0] disk d1 is 93% full", logs.Lines);
                return Task.CompletedTask;
            });

            // A subsystem speaks under its own class: dead letters, here.
            system.DeadLetters.Tell("lost");
            await Eventually.AssertAsync(() =>
            {
                Assert.Contains(logs.Lines, l => l.StartsWith("Information Akka.", StringComparison.Ordinal) && l.Contains("lost", StringComparison.Ordinal));
                return Task.CompletedTask;
            });

            // No Akka prefix ([WARNING][date][thread][path]) and no second timestamp in the text.
            Assert.DoesNotContain(logs.Lines, l => l.Contains("[WARNING]", StringComparison.Ordinal) || l.Contains("[INFO]", StringComparison.Ordinal));
        }
        finally
        {
            await system.Terminate();
        }
    }

    private sealed class ChattyActor : ReceiveActor
    {
        public ChattyActor()
        {
            var log = Context.GetLogger();
            Receive<string>(_ => log.Warning("disk {0} is {1}% full", "d1", 93));
        }
    }
}
