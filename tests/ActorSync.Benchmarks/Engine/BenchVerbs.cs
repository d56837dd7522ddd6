namespace ActorSync.Benchmarks.Engine;

/// <summary>
/// <c>engine bulk|oltp|lag [options]</c> (issue 5's figures) and <c>snapshot ...</c> (issue 6's). Each verb starts its
/// own throwaway servers and prints <c>RESULT</c> lines; nothing is asserted, the figures are for the notes.
/// </summary>
public static class BenchVerbs
{
    public static bool Handles(string verb) => verb is "engine";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2)
        {
            await Console.Error.WriteLineAsync("usage: engine bulk|oltp|lag [--capture row|statement|auto] [--rows N] [--seconds S] [--clients C] [--rate R] [--batch-size B]");
            return 2;
        }

        var options = BenchOptions.Parse(args[2..]);
        switch (args[1])
        {
            case "bulk":
                await EngineBench.BulkAsync(options);
                break;
            case "oltp":
                await EngineBench.OltpAsync(options);
                break;
            case "lag":
                await EngineBench.LagAsync(options);
                break;
            default:
                await Console.Error.WriteLineAsync($"unknown scenario {args[1]}");
                return 2;
        }

        return 0;
    }
}
