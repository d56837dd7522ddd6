using System.Globalization;
using ActorSync.Hocon;
using Microsoft.Extensions.Configuration;

namespace ActorSync.Configuration;

/// <summary>
/// What binding and validation share: the configuration, the origin of each key (from the HOCON provider), and the
/// problems found so far. Keys are full configuration keys (<c>actorsync:syncs:1:source</c>); problems show them as
/// settings relative to <c>actorsync</c> (<c>syncs[1].source</c>).
/// </summary>
internal sealed class ConfigurationContext(IConfiguration configuration, string description)
{
    public const string Section = ActorSyncOptions.SectionName;

    public IConfiguration Configuration { get; } = configuration;

    public string Description { get; } = description;

    public List<ConfigurationProblem> Problems { get; } = [];

    public void Add(string key, string message)
    {
        var origin = Origin(key);
        Problems.Add(new ConfigurationProblem(origin?.ToString() ?? Description, Setting(key), message) { Origin = origin });
    }

    /// <summary>The origin of the key's value, or of the nearest enclosing section when the key is missing.</summary>
    public HoconOrigin? Origin(string key)
    {
        if (Configuration is IConfigurationRoot root)
        {
            for (var current = key; current.Length > 0; current = ConfigurationPath.GetParentPath(current) ?? "")
            {
                if (root.TryGetHoconOrigin(current, out var origin))
                {
                    return origin;
                }
            }
        }

        return null;
    }

    /// <summary>A duration as HOCON would write it: 200ms, 5s, 2m, 1h.</summary>
    public static string Format(TimeSpan duration) => duration switch
    {
        { Ticks: var ticks } when ticks % TimeSpan.TicksPerHour == 0 && ticks != 0 => $"{ticks / TimeSpan.TicksPerHour}h",
        { Ticks: var ticks } when ticks % TimeSpan.TicksPerMinute == 0 && ticks != 0 => $"{ticks / TimeSpan.TicksPerMinute}m",
        { Ticks: var ticks } when ticks % TimeSpan.TicksPerSecond == 0 => $"{ticks / TimeSpan.TicksPerSecond}s",
        _ => $"{duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms",
    };

    /// <summary><c>actorsync:syncs:1:columns:0</c> is shown as <c>syncs[1].columns[0]</c>.</summary>
    public static string Setting(string key)
    {
        var parts = key.Split(ConfigurationPath.KeyDelimiter);
        var start = parts.Length > 0 && string.Equals(parts[0], Section, StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        var text = new System.Text.StringBuilder();
        for (var i = start; i < parts.Length; i++)
        {
            if (int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out _) && text.Length > 0)
            {
                text.Append('[').Append(parts[i]).Append(']');
            }
            else
            {
                text.Append(text.Length > 0 ? "." : "").Append(HoconPath.RenderKey(parts[i]));
            }
        }

        return text.Length == 0 ? Section : text.ToString();
    }

    /// <summary>" (did you mean 'batch-size'?)" when a known word is close to <paramref name="word"/>, else "".</summary>
    public static string DidYouMean(string word, IEnumerable<string> known)
    {
        static string Squash(string s) => s.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        var best = known
            .Select(candidate => (Candidate: candidate, Distance: Squash(candidate) == Squash(word) ? 0 : Distance(word.ToLowerInvariant(), candidate)))
            .OrderBy(pair => pair.Distance)
            .FirstOrDefault();
        return best.Candidate is not null && best.Distance <= Math.Max(2, word.Length / 3) ? $" (did you mean '{best.Candidate}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
