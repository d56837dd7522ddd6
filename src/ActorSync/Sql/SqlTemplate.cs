using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace ActorSync.Sql;

/// <summary>
/// Renders the SQL kept under <c>db/</c> (embedded in the assembly): <c>{{name}}</c> placeholders are replaced by
/// values that the caller has already quoted with <see cref="Identifier"/> or <see cref="Literal"/>, and <c>{{tag}}</c>
/// by a dollar-quote tag that occurs nowhere else in the result.
/// </summary>
public static partial class SqlTemplate
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    /// <summary>The raw text of <c>db/<paramref name="path"/></c>, e.g. <c>capture/row.sql</c>.</summary>
    public static string Load(string path) => Cache.GetOrAdd(path, static p =>
    {
        var name = "db/" + p;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The SQL template {name} is not embedded in the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    /// <summary>Renders a template. Every placeholder must be given and every value used.</summary>
    /// <exception cref="InvalidOperationException">A placeholder has no value, or a value has no placeholder.</exception>
    public static string Render(string path, IReadOnlyDictionary<string, string> values)
    {
        var template = Load(path);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        var rendered = Placeholder().Replace(template, match =>
        {
            var key = match.Groups[1].Value;
            if (key == "tag")
            {
                return match.Value;
            }

            if (!values.TryGetValue(key, out var value))
            {
                missing.Add(key);
                return match.Value;
            }

            used.Add(key);
            return value;
        });
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"db/{path}: no value for {string.Join(", ", missing.Distinct())}.");
        }

        var unused = values.Keys.Where(k => !used.Contains(k)).ToList();
        if (unused.Count > 0)
        {
            throw new InvalidOperationException($"db/{path}: no placeholder for {string.Join(", ", unused)}.");
        }

        var tag = Literal.DollarTagFor(rendered);
        return rendered.Replace("{{tag}}", tag, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{\{([a-z_]+)\}\}")]
    private static partial Regex Placeholder();
}
