using System.Globalization;

namespace ActorSync.Benchmarks.Engine;

/// <summary>Prints one figure per line, tab-separated (scenario, variant, name, value), easy to grep and to paste.</summary>
public static class Report
{
    public static void Row(string scenario, object variant, string name, double value) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"RESULT\t{scenario}\t{variant.ToString()!.ToLowerInvariant()}\t{name}\t{value:0.###}"));
}
