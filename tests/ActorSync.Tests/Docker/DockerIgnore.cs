using System.Text;
using System.Text.RegularExpressions;

namespace ActorSync.Tests.Docker;

/// <summary>
/// .dockerignore as Docker reads it, for the patterns this repository uses: <c>*</c>, <c>?</c> and <c>**</c>, a
/// leading <c>!</c> to include again, the last matching line deciding, and a pattern that matches a folder covering
/// everything in it.
/// </summary>
public sealed class DockerIgnore(IReadOnlyList<(Regex Pattern, bool Include)> rules)
{
    public static DockerIgnore Load(string path) => new(File.ReadAllLines(path)
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.StartsWith('!') ? (ToRegex(l[1..]), true) : (ToRegex(l), false))
        .ToArray());

    /// <summary>True when the file at <paramref name="relativePath"/> (with '/') is sent to the builder.</summary>
    public bool IsInContext(string relativePath)
    {
        var parts = relativePath.Split('/');
        var prefixes = Enumerable.Range(1, parts.Length).Select(n => string.Join('/', parts.Take(n))).ToArray();
        var included = true;
        foreach (var (pattern, include) in rules)
        {
            if (prefixes.Any(pattern.IsMatch))
            {
                included = include;
            }
        }

        return included;
    }

    private static Regex ToRegex(string pattern)
    {
        pattern = pattern.Trim('/');
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slash ? "(.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                regex.Append(pattern[i] switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    var c => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
