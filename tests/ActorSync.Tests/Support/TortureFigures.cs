using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace ActorSync.Tests.Support;

/// <summary>Thread-safe counters of a torture run (transactions, rows, faults), printed at its end.</summary>
public sealed class TortureFigures
{
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);

    public void Add(string counter, long amount = 1) => _counters.AddOrUpdate(counter, amount, (_, value) => value + amount);

    public long this[string counter] => _counters.TryGetValue(counter, out var value) ? value : 0;

    /// <summary>Every counter whose name starts with <paramref name="prefix"/>, without the prefix.</summary>
    public IReadOnlyDictionary<string, long> WithPrefix(string prefix) => _counters
        .Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal))
        .ToDictionary(c => c.Key[prefix.Length..], c => c.Value, StringComparer.Ordinal);

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (name, value) in _counters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {name,-36} {value,12:N0}\n");
        }

        return text.ToString();
    }
}
