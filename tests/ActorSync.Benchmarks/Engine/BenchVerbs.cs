namespace ActorSync.Benchmarks.Engine;

/// <summary>
/// <c>engine bulk|oltp|lag [options]</c> (issue 5's figures), <c>engine telemetry</c> (issue 21's) and <c>snapshot copy|memory</c> (issue 6's). Each verb starts its
/// own throwaway servers and prints <c>RESULT</c> lines; nothing is asserted, the figures are for the notes.
/// </summary>
public static class BenchVerbs
{
    public static bool Handles(string verb) => verb is "engine" or "snapshot";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync(
                "usage: engine bulk|oltp|lag|capture|telemetry | snapshot copy|memory  [--capture row|statement|auto] [--rows N] [--seconds S] [--clients C] [--rate R] [--batch-size B] [--reps N] [--group single|group|both]");
            return 2;
        }

        var options = BenchOptions.Parse(args[2..]);
        switch ($"{args[0]} {args[1]}")
        {
            case "engine bulk":
                await EngineBench.BulkAsync(options);
                break;
            case "engine oltp":
                await EngineBench.OltpAsync(options);
                break;
            case "engine capture":
                await EngineBench.CaptureAsync(options);
                break;
            case "engine telemetry":
                await EngineBench.TelemetryAsync(options);
                break;
            case "engine lag":
                await EngineBench.LagAsync(options);
                break;
            case "snapshot copy":
                await SnapshotBench.CopyAsync(options);
                break;
            case "snapshot memory":
                await SnapshotBench.MemoryAsync(options.Rows == 1_000_000 ? options with { Rows = 10_000_000 } : options);
                break;
            default:
                await Console.Error.WriteLineAsync($"unknown scenario {args[0]} {args[1]}");
                return 2;
        }

        return 0;
    }
}
