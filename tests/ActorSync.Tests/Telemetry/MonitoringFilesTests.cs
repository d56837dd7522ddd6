using System.Text.Json;
using System.Text.RegularExpressions;
using ActorSync.Tests.Docker;
using YamlDotNet.RepresentationModel;

namespace ActorSync.Tests.Telemetry;

/// <summary>
/// The Prometheus rules file and the Grafana dashboard in deploy/ (issue 21): every query names only metrics ActorSync
/// exports (<see cref="ExportedMetrics"/>, with the agreed planned ones), so neither silently watches nothing.
/// </summary>
public sealed partial class MonitoringFilesTests
{
    private static readonly HashSet<string> Exported = ExportedMetrics.SeriesNames().ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_alert_rule_queries_exported_metrics_and_says_what_it_means()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(RepositoryFiles.Read("deploy/prometheus/actorsync-rules.yml")));
        var rules = ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["groups"])
            .Cast<YamlMappingNode>()
            .SelectMany(group => ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            .ToArray();

        var alerts = rules.Select(r => r["alert"].ToString()).ToArray();
        Assert.Contains("ActorSyncSyncFailing", alerts);
        Assert.Contains("ActorSyncLagHigh", alerts);
        Assert.Contains("ActorSyncDeadLetters", alerts);
        Assert.Contains("ActorSyncSlotRetention", alerts);
        foreach (var rule in rules)
        {
            var alert = rule["alert"].ToString();
            AssertExported(alert, rule["expr"].ToString());
            Assert.True(rule.Children.ContainsKey("for"), $"{alert}: no 'for'");
            Assert.Contains(((YamlMappingNode)rule["labels"])["severity"].ToString(), new[] { "warning", "critical" });
            Assert.False(string.IsNullOrWhiteSpace(((YamlMappingNode)rule["annotations"])["summary"].ToString()), $"{alert}: no summary");
        }
    }

    [Fact]
    public void Every_dashboard_query_names_exported_metrics_and_every_family_of_ours_is_on_it()
    {
        using var dashboard = JsonDocument.Parse(RepositoryFiles.Read("deploy/grafana/actorsync-dashboard.json"));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToArray();
        Assert.NotEmpty(panels);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString()!;
            var targets = panel.GetProperty("targets").EnumerateArray().ToArray();
            Assert.True(targets.Length > 0, $"panel '{title}' has no query");
            foreach (var target in targets)
            {
                named.UnionWith(AssertExported(title, target.GetProperty("expr").GetString()!));
            }
        }

        foreach (var variable in dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() == "query")
            {
                var query = variable.GetProperty("query").GetProperty("query").GetString()!;
                var metric = LabelValues().Match(query);
                Assert.True(metric.Success, $"variable {variable.GetProperty("name")}: {query}");
                Assert.Contains(metric.Groups[1].Value, Exported);
            }
        }

        Assert.All(ExportedMetrics.Families.Concat(ExportedMetrics.WalOnly), family =>
            Assert.True(named.Any(n => n == family.Name || n.StartsWith(family.Name + "_", StringComparison.Ordinal)), $"{family.Name} is on no panel"));
    }

    [Fact]
    public void The_query_reader_finds_metric_names_and_skips_functions_labels_and_keywords()
    {
        Assert.Equal(
            ["foo_total", "bar_seconds_bucket", "baz"],
            MetricNames("""sum by (sync, le) (rate(foo_total{sync=~"a|b", x="y{z}"}[5m])) / on(sync) group_left histogram_quantile(0.9, bar_seconds_bucket[$__rate_interval]) > bool 1e9 unless baz offset 5m"""));
    }

    private static string[] AssertExported(string where, string expr)
    {
        var names = MetricNames(expr);
        Assert.True(names.Length > 0, $"{where}: no metric in {expr}");
        foreach (var name in names)
        {
            Assert.True(Exported.Contains(name), $"{where}: {name} is not a metric ActorSync exports ({expr})");
        }

        return names;
    }

    /// <summary>The metric names in a PromQL expression: what is left once strings, matchers, ranges and groupings go.</summary>
    private static string[] MetricNames(string expr)
    {
        var text = StringLiteral().Replace(expr, "\"\"");
        text = Matchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        return Identifier().Matches(text)
            .Where(m => !text[(m.Index + m.Length)..].TrimStart().StartsWith('('))
            .Select(m => m.Value)
            .Where(name => !Keywords.Contains(name))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan",
    };

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.$])[a-zA-Z_:][\w:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^label_values\(\s*([a-zA-Z_:][\w:]*)")]
    private static partial Regex LabelValues();
}
