using BenchmarkDotNet.Running;

namespace ActorSync.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/ActorSync.Benchmarks -- --filter '*'</c> runs every BenchmarkDotNet class.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
