using System.Text.RegularExpressions;
using ActorSync.Cli;
using ActorSync.Tests.Support;

namespace ActorSync.Tests.Demo;

/// <summary><c>actorsync demo</c> as a newcomer runs it: the real CLI as a child process (issue 8).</summary>
public sealed partial class DemoCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Demo_with_a_duration_stops_by_itself_and_every_target_matches_its_source()
    {
        await using var demo = ActorSyncProcess.Start(["demo", "--duration", "20s"]);

        var exitCode = await demo.WaitForExitAsync(Patience);

        Assert.True(exitCode == ExitCodes.Ok, demo.Output);
        Assert.Contains("Verdict: match. All 4 targets equal their sources.", demo.Output, StringComparison.Ordinal);
        foreach (var sync in new[] { "orders", "order_lines", "active_customers", "products" })
        {
            Assert.Matches($@"\n  {sync} +\S+ +[\d,]+ rows  match\n", demo.Output.ReplaceLineEndings("\n"));
        }

        Assert.Matches(@"\[ +1\ds\] running 1\ds of 20s", demo.Output); // not a terminal: a line per second
        AssertServerRemoved(demo.Output);
    }

    [Fact]
    public async Task Demo_stopped_by_a_signal_catches_up_compares_and_removes_its_server()
    {
        await using var demo = ActorSyncProcess.Start(["demo"]);
        await demo.WaitForOutputAsync("Sync orders: caught up", Patience); // copied, and streaming the writer's changes

        demo.Terminate(); // SIGTERM: handled as Ctrl+C is
        var exitCode = await demo.WaitForExitAsync(Patience);

        Assert.True(exitCode == ExitCodes.Ok, demo.Output);
        Assert.Contains("Verdict: match.", demo.Output, StringComparison.Ordinal);
        AssertServerRemoved(demo.Output);
    }

    [Fact]
    public async Task A_duration_that_is_not_one_is_bad_input()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await ActorSyncCli.InvokeAsync(["demo", "--duration", "soon"], output, error);

        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("--duration", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("'soon'", error.ToString(), StringComparison.Ordinal);
    }

    private static void AssertServerRemoved(string output)
    {
        var folder = ServerFolder().Match(output);
        Assert.True(folder.Success, output);
        Assert.False(Directory.Exists(folder.Groups[1].Value), $"{folder.Groups[1].Value} was left behind");
        Assert.Contains("the PostgreSQL server and its folder are removed", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@", in (\S*actorsync-pg-\S+) \(removed at the end\)")]
    private static partial Regex ServerFolder();
}
