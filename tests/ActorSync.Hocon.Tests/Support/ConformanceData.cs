using System.Text.Json;

namespace ActorSync.Hocon.Tests.Support;

/// <summary>
/// lightbend/config's HOCON test data, read in place from <c>shared/conformance/hocon</c> beside the repository (or
/// <c>$ACTORSYNC_SHARED_DIR/conformance/hocon</c>). It is never copied into the repository.
/// </summary>
public static class ConformanceData
{
    public const string SharedDirVariable = "ACTORSYNC_SHARED_DIR";

    private static readonly Lazy<IReadOnlyList<ConformanceCase>> LoadedCases = new(Load);

    /// <summary>The conformance folder, or null when it cannot be found.</summary>
    public static string? Directory { get; } = Locate();

    public static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static string MissingReason =>
        $"The HOCON conformance data was not found: set {SharedDirVariable} to the folder holding conformance/hocon, " +
        "or put shared/ beside the repository (looked in " + string.Join(", ", Candidates()) + ").";

    public static IReadOnlyList<ConformanceCase> Cases => LoadedCases.Value;

    public static string PathOf(string relative) => Path.Combine(Directory!, relative);

    private static IEnumerable<string> Candidates()
    {
        var shared = Environment.GetEnvironmentVariable(SharedDirVariable);
        if (!string.IsNullOrEmpty(shared))
        {
            yield return Path.Combine(shared, "conformance", "hocon");
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ActorSync.sln")))
            {
                yield return Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "conformance", "hocon"));
                yield break;
            }
        }
    }

    private static string? Locate() => Candidates().FirstOrDefault(candidate => File.Exists(Path.Combine(candidate, "cases.json")));

    private static IReadOnlyList<ConformanceCase> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf("cases.json")));
        return document.RootElement.EnumerateArray().Select((entry, index) => ConformanceCase.From(index, entry)).ToArray();
    }
}

/// <summary>One entry of <c>cases.json</c> (its README describes the fields).</summary>
public sealed record ConformanceCase(
    int Index,
    string Conf,
    string? ExpectJson,
    bool ExpectError,
    string Kind,
    HoconSyntax Syntax,
    IReadOnlyDictionary<string, string?>? Environment,
    IReadOnlyList<string> IncludeRoots,
    bool WhitespaceVariations,
    string? ErrorStage,
    bool ImplementationDefined,
    string Notes)
{
    /// <summary>A readable, unique id: the index (some files appear twice, with other settings) and the file.</summary>
    public string Id => $"{Index:000} {Conf}";

    public static ConformanceCase From(int index, JsonElement entry)
    {
        string? Text(string name) => entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        bool Flag(string name) => entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

        var environment = entry.TryGetProperty("env", out var env) && env.ValueKind == JsonValueKind.Object
            ? env.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString())
            : null;
        var roots = entry.TryGetProperty("include_roots", out var includeRoots) && includeRoots.ValueKind == JsonValueKind.Array
            ? includeRoots.EnumerateArray().Select(root => root.GetString()!).ToArray()
            : [];
        return new ConformanceCase(
            index,
            Text("conf")!,
            Text("expect_json"),
            Flag("expect_error"),
            Text("kind") ?? "file",
            Text("syntax") switch { "json" => HoconSyntax.Json, "properties" => HoconSyntax.Properties, _ => HoconSyntax.Conf },
            environment,
            roots,
            Flag("whitespace_variations"),
            Text("error_stage"),
            Flag("implementation_defined"),
            Text("notes") ?? "");
    }
}

/// <summary>
/// A theory over the conformance cases that reports itself skipped, with the reason, when the data is not there and
/// this is not CI, so that <c>dotnet test</c> passes on a fresh clone. Under CI a missing folder fails instead.
/// </summary>
public sealed class ConformanceTheoryAttribute : TheoryAttribute
{
    public ConformanceTheoryAttribute()
    {
        if (ConformanceData.Directory is null && !ConformanceData.IsCi)
        {
            Skip = ConformanceData.MissingReason;
        }
    }
}

/// <summary>A fact about the conformance data, skipped with the reason like <see cref="ConformanceTheoryAttribute"/>.</summary>
public sealed class ConformanceFactAttribute : FactAttribute
{
    public ConformanceFactAttribute()
    {
        if (ConformanceData.Directory is null && !ConformanceData.IsCi)
        {
            Skip = ConformanceData.MissingReason;
        }
    }
}
