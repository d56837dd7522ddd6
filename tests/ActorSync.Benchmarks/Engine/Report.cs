using System.Globalization;

namespace ActorSync.Benchmarks.Engine;

/// <summary>Prints one figure per line, tab-separated (scenario, variant, name, value), easy to grep and to paste.</summary>
public static class Report
{
    public static void Row(string scenario, object variant, string name, double value) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"RESULT\t{scenario}\t{variant.ToString()!.ToLowerInvariant()}\t{name}\t{value:0.###}"));

    /// <summary>The middle value (the upper one of the two middles for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
