using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace ActorSync.Demo;

/// <summary>
/// One of the demo's pgbench custom scripts (<c>db/demo/writer/*.sql</c>), which the compose <c>writer</c> service runs
/// with pgbench and <c>actorsync demo</c> runs with this class, so both drive the same workload. It understands the
/// subset of pgbench's script language those files use: <c>\set name random(lo, hi)</c> or <c>\set name N</c>,
/// <c>:name</c> substitutions, SQL commands ending with <c>;</c> (they may span lines) or with <c>\gset</c> (the
/// single result row's columns become variables), and <c>--</c> comments. Anything else is refused when loaded.
/// </summary>
public sealed partial class WriterScript
{
    private readonly IReadOnlyList<Step> _steps;

    private WriterScript(string name, IReadOnlyList<Step> steps)
    {
        Name = name;
        _steps = steps;
    }

    /// <summary>The file name without <c>.sql</c>, e.g. <c>place_order</c>.</summary>
    public string Name { get; }

    /// <summary>The embedded scripts, by name, as <paramref name="names"/> lists them.</summary>
    public static IReadOnlyList<WriterScript> LoadEmbedded(IEnumerable<string> names) =>
        names.Select(name => Parse(name, DemoResources.Read($"db/demo/writer/{name}.sql"))).ToArray();

    /// <summary>Parses a script.</summary>
    /// <exception cref="FormatException">A line uses pgbench syntax this class does not run (message: file and line).</exception>
    public static WriterScript Parse(string name, string text)
    {
        var steps = new List<Step>();
        var sql = new StringBuilder();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (sql.Length == 0 && (line.Length == 0 || line.StartsWith("--", StringComparison.Ordinal)))
            {
                continue;
            }

            if (sql.Length == 0 && line.StartsWith('\\'))
            {
                var set = SetCommand().Match(line);
                if (!set.Success)
                {
                    throw new FormatException($"db/demo/writer/{name}.sql:{i + 1}: only \\set name random(lo, hi) and \\set name N are supported, found '{line}'");
                }

                var low = long.Parse(set.Groups["low"].Value, CultureInfo.InvariantCulture);
                var high = set.Groups["high"].Success ? long.Parse(set.Groups["high"].Value, CultureInfo.InvariantCulture) : low;
                steps.Add(new Step(set.Groups["name"].Value, low, high, null, false));
                continue;
            }

            var gset = line.EndsWith("\\gset", StringComparison.Ordinal);
            sql.Append(gset ? line[..^"\\gset".Length] : line).Append('\n');
            if (gset || line.EndsWith(';'))
            {
                steps.Add(new Step(null, 0, 0, sql.ToString().TrimEnd().TrimEnd(';'), gset));
                sql.Clear();
            }
        }

        if (sql.Length > 0)
        {
            throw new FormatException($"db/demo/writer/{name}.sql: the last SQL command does not end with ';'");
        }

        return new WriterScript(name, steps);
    }

    /// <summary>
    /// Runs the script once on <paramref name="connection"/>. On a failure the exception propagates; a transaction the
    /// script left open is rolled back when the connection returns to its pool (Npgsql resets it).
    /// </summary>
    public async Task RunAsync(NpgsqlConnection connection, Random random, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var step in _steps)
        {
            if (step.Variable is { } variable)
            {
                variables[variable] = random.NextInt64(step.Low, step.High + 1).ToString(CultureInfo.InvariantCulture);
                continue;
            }

            var sql = Substitution().Replace(step.Sql!, match => variables.GetValueOrDefault(match.Groups[1].Value, match.Value));
            await using var command = new NpgsqlCommand(sql, connection);
            if (!step.SetsVariables)
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
                continue;
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException($"writer script {Name}: a \\gset command returned no row:\n{sql}");
            }

            for (var column = 0; column < reader.FieldCount; column++)
            {
                variables[reader.GetName(column)] = Convert.ToString(reader.GetValue(column), CultureInfo.InvariantCulture) ?? "";
            }
        }
    }

    /// <summary>A <c>\set</c> (variable and bounds) or an SQL command.</summary>
    private sealed record Step(string? Variable, long Low, long High, string? Sql, bool SetsVariables);

    [GeneratedRegex(@"^\\set\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?:random\(\s*(?<low>-?\d+)\s*,\s*(?<high>-?\d+)\s*\)|(?<low>-?\d+))\s*$")]
    private static partial Regex SetCommand();

    // pgbench's rule: ':name' is a variable unless the colon follows another one ('::type' is a cast).
    [GeneratedRegex(@"(?<!:):([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Substitution();
}
