using System.Collections;

namespace ActorSync.Hocon.Internal;

internal static class ProcessEnvironment
{
    public static IReadOnlyDictionary<string, string?> Snapshot()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value;
        }

        return variables;
    }
}
