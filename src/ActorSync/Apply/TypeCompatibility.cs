namespace ActorSync.Apply;

/// <summary>
/// Which source column types may feed which target column types: the same type, or a widening that can never lose or
/// change a value. Anything else is a mismatch reported before capture is installed.
/// </summary>
public static class TypeCompatibility
{
    private static readonly Dictionary<string, string[]> Widenings = new(StringComparer.Ordinal)
    {
        ["smallint"] = ["integer", "bigint", "numeric"],
        ["integer"] = ["bigint", "numeric"],
        ["bigint"] = ["numeric"],
        ["real"] = ["double precision"],
        ["text"] = ["character varying"],
        ["character varying"] = ["text"],
        ["character"] = ["text", "character varying"],
        ["json"] = ["jsonb"],
    };

    /// <summary>True when every value of <paramref name="source"/> fits <paramref name="target"/> unchanged.</summary>
    public static bool IsCompatible(string source, string target)
    {
        if (string.Equals(source, target, StringComparison.Ordinal))
        {
            return true;
        }

        var (sourceBase, sourceArgs) = Split(source);
        var (targetBase, targetArgs) = Split(target);
        if (string.Equals(sourceBase, targetBase, StringComparison.Ordinal))
        {
            // Same type with other modifiers: an unconstrained target takes anything; a length limit must not shrink;
            // numeric(p,s) only fits the same scale with at least as many integer digits.
            if (targetArgs is null)
            {
                return true;
            }

            if (sourceArgs is null)
            {
                return false;
            }

            if (sourceBase is "character varying" or "character" or "bit varying")
            {
                return targetArgs[0] >= sourceArgs[0];
            }

            if (sourceBase == "numeric" && sourceArgs.Length == 2 && targetArgs.Length == 2)
            {
                return sourceArgs[1] == targetArgs[1] && targetArgs[0] - targetArgs[1] >= sourceArgs[0] - sourceArgs[1];
            }

            return false;
        }

        // A widening into an unconstrained (or, for varchar, unlimited) target.
        return targetArgs is null && Widenings.TryGetValue(sourceBase, out var wider) && wider.Contains(targetBase);
    }

    private static (string Base, int[]? Args) Split(string type)
    {
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            return (type, null);
        }

        var open = type.IndexOf('(', StringComparison.Ordinal);
        if (open < 0 || !type.EndsWith(')'))
        {
            return (type, null);
        }

        var args = type[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
        var numbers = new int[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            if (!int.TryParse(args[i], System.Globalization.CultureInfo.InvariantCulture, out numbers[i]))
            {
                return (type, null);
            }
        }

        return (type[..open].TrimEnd(), numbers);
    }
}
