using System.CommandLine;
using ActorSync.Demo;
using ActorSync.Hocon;

namespace ActorSync.Cli;

/// <summary>
/// <c>actorsync demo [--duration 30s]</c>: ActorSync at work without Docker or any setup. A throwaway PostgreSQL
/// server with the compose demo's databases, the service in this process with its admin endpoint on a free loopback
/// port, a writer changing the source tables, and live status; on stop (the duration, or Ctrl+C) it waits until the
/// targets caught up and compares each with its source. Exit 0 when all match, 1 otherwise, 2 for bad arguments.
/// </summary>
public static class DemoCommand
{
    public const string Name = "demo";

    public static Command Create()
    {
        var duration = new Option<TimeSpan?>("--duration", "-d")
        {
            Description = "Stop by itself after this long, e.g. 30s or 2m (default: run until Ctrl+C).",
            HelpName = "DURATION",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (HoconDuration.TryParse(text, out var parsed, out var error) && parsed > TimeSpan.Zero)
                {
                    return parsed;
                }

                result.AddError($"--duration: {error ?? "must be longer than 0"}, found '{text}'");
                return null;
            },
        };
        var command = new Command(
            Name,
            "Show ActorSync at work: a throwaway PostgreSQL server, demo tables, a writer and live status; on stop, compare every " +
            "target with its source (exit 0 when all match).")
        {
            duration,
        };
        command.SetAction((parseResult, cancellationToken) =>
            DemoRunner.RunAsync(new DemoOptions(parseResult.GetValue(duration)), parseResult.InvocationConfiguration.Output, cancellationToken));
        return command;
    }
}
