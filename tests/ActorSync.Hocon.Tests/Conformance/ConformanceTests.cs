using System.Text.Json;
using ActorSync.Hocon.Tests.Support;

namespace ActorSync.Hocon.Tests.Conformance;

/// <summary>
/// Every case of lightbend/config's data in <c>shared/conformance/hocon/cases.json</c> (its README says how each kind
/// is checked). Environment fallback is off unless a case gives variables, as upstream runs them.
/// </summary>
public sealed class ConformanceTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        if (ConformanceData.Directory is null)
        {
            // Only reached under CI (the attribute skips otherwise): one row that fails with the reason.
            data.Add("missing");
            return data;
        }

        foreach (var entry in ConformanceData.Cases)
        {
            data.Add(entry.Id);
        }

        return data;
    }

    [ConformanceTheory]
    [MemberData(nameof(Cases))]
    public void Case_behaves_as_the_conformance_data_says(string id)
    {
        Assert.True(ConformanceData.Directory is not null, ConformanceData.MissingReason);
        var entry = ConformanceData.Cases.Single(c => c.Id == id);
        if (entry.Kind == "inline")
        {
            CheckInline(entry);
        }
        else
        {
            CheckFile(entry);
        }
    }

    [ConformanceFact]
    public void The_manifest_has_all_259_cases()
    {
        // README: "Totals: 259 entries." A truncated manifest must not pass quietly.
        Assert.True(ConformanceData.Directory is not null, ConformanceData.MissingReason);
        Assert.Equal(259, ConformanceData.Cases.Count);
    }

    private static void CheckFile(ConformanceCase entry)
    {
        var parseOptions = new HoconParseOptions
        {
            Syntax = entry.Syntax,
            IncludeRoots = entry.IncludeRoots.Select(ConformanceData.PathOf).ToArray(),
        };
        var resolveOptions = entry.Environment is null
            ? HoconResolveOptions.WithoutEnvironment
            : new HoconResolveOptions { Environment = entry.Environment };
        var path = ConformanceData.PathOf(entry.Conf);
        if (entry.ExpectError)
        {
            var error = Assert.ThrowsAny<HoconException>(() => HoconParser.ParseFile(path, parseOptions).Resolve(resolveOptions));
            AssertStartsWithOrigin(error);
            return;
        }

        var value = HoconParser.ParseFile(path, parseOptions).Resolve(resolveOptions);
        AssertJson(File.ReadAllText(ConformanceData.PathOf(entry.ExpectJson!)), value, entry.Conf);
    }

    private static void CheckInline(ConformanceCase entry)
    {
        var text = File.ReadAllText(ConformanceData.PathOf(entry.Conf));
        var variations = entry.WhitespaceVariations ? WhitespaceVariations(text) : [(text, true)];
        foreach (var (variant, sameValue) in variations)
        {
            var options = new HoconParseOptions { Description = entry.Conf };
            if (entry.ExpectError && entry.ErrorStage == "parse")
            {
                AssertStartsWithOrigin(Assert.Throws<HoconParseException>(() => HoconParser.Parse(variant, options)));
                continue;
            }

            var document = HoconParser.Parse(variant, options);
            if (entry.ExpectError)
            {
                AssertStartsWithOrigin(Assert.Throws<HoconResolveException>(() => document.Resolve(HoconResolveOptions.WithoutEnvironment)));
                continue;
            }

            // README: the 13 snippets without an expected value are array roots whose substitutions never resolve:
            // "Parse them but DON'T resolve."
            if (entry.ExpectJson is null)
            {
                continue;
            }

            var value = document.Resolve(HoconResolveOptions.WithoutEnvironment);
            if (sameValue)
            {
                AssertJson(File.ReadAllText(ConformanceData.PathOf(entry.ExpectJson)), value, $"{entry.Conf} as {JsonSerializer.Serialize(variant)}");
            }
        }
    }

    /// <summary>
    /// README, "Whitespace variations": each form must give the same verdict. Space before, after or around the
    /// snippet cannot change its value either, so those are compared too.
    /// </summary>
    private static List<(string Text, bool SameValue)> WhitespaceVariations(string text)
    {
        var variations = new List<(string, bool)>
        {
            (text, true),
            (" " + text, true),
            (text + " ", true),
            (" " + text + " ", true),
            (text.Replace(" ", "", StringComparison.Ordinal), false),
            (text.Replace(":", " : ", StringComparison.Ordinal), false),
            (text.Replace(",", " , ", StringComparison.Ordinal), false),
        };
        if (text.Contains(' ', StringComparison.Ordinal))
        {
            variations.Add((text.Replace(' ', '\u2003'), false));
        }

        return variations;
    }

    private static void AssertJson(string expectedJson, HoconValue actual, string what)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        var difference = JsonTree.Difference(expected.RootElement, actual);
        Assert.True(difference is null, $"{what}: {difference}");
    }

    private static void AssertStartsWithOrigin(HoconException error) =>
        Assert.Matches(@"^.+:\d+:\d+: \S", error.Message);
}
