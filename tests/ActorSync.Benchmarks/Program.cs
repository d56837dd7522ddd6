using ActorSync.Benchmarks.Engine;
using BenchmarkDotNet.Running;

namespace ActorSync.Benchmarks;

/// <summary>
/// Two kinds of benchmark. Verbs run end-to-end scenarios on throwaway PostgreSQL servers and print figures:
/// <c>dotnet run -c Release --project tests/ActorSync.Benchmarks -- engine|snapshot ...</c> (see <see cref="BenchVerbs"/>).
/// Anything else goes to BenchmarkDotNet: <c>-- --filter '*'</c> runs every BenchmarkDotNet class.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && BenchVerbs.Handles(args[0]))
        {
            return await BenchVerbs.RunAsync(args);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
