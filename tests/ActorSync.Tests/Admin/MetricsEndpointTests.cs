using System.Globalization;
using System.Text.RegularExpressions;
using ActorSync.Actors;
using ActorSync.Tests.Support;
using ActorSync.Tests.Telemetry;

namespace ActorSync.Tests.Admin;

/// <summary>
/// <c>GET /metrics</c> on the real endpoint after real batches: Prometheus text format, per sync, pool and listener
/// (issue 7), rendered by the OpenTelemetry SDK's exporter under the names the hand-written one used (issue 21).
/// </summary>
public sealed partial class MetricsEndpointTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Metrics_after_batches_count_what_status_reports_in_prometheus_text_format()
    {
        await database.ExecuteAsync("""
            CREATE TABLE measured (id int PRIMARY KEY, v text);
            CREATE TABLE measured_copy (id int PRIMARY KEY, v text);
            CREATE TABLE quiet (id int PRIMARY KEY);
            CREATE TABLE quiet_copy (id int PRIMARY KEY);
            """);
        // The database has a name no other test class gives one: Npgsql's meter is process-wide, and other hosts in this
        // process have pools named src/write with maxima of their own (db_client_connection_max below).
        await using var host = await AdminHost.StartAsync(
            new Dictionary<string, string> { ["metered"] = database.ConnectionString },
            [
                "{ name = measured, source = \"metered:public.measured\", target = \"metered:public.measured_copy\", batch-size = 100 }",
                "{ name = quiet, source = \"metered:public.quiet\", target = \"metered:public.quiet_copy\" }",
            ]);
        await host.WaitForStateAsync("measured", SyncStates.Idle);
        await host.WaitForStateAsync("quiet", SyncStates.Idle);

        await database.ExecuteAsync("INSERT INTO measured SELECT g, 'v' FROM generate_series(1, 250) g");
        await database.ExecuteAsync("DELETE FROM measured WHERE id <= 50");
        await Eventually.AssertAsync(() => TableFingerprint.AssertEqualAsync(database.DataSource, "measured", database.DataSource, "measured_copy", "id"));
        var status = await host.WaitForStateAsync("measured", SyncStates.Idle);
        var rows = status.GetProperty("rowsApplied").GetInt64();
        var batches = status.GetProperty("batchesApplied").GetInt64();
        Assert.True(batches >= 3, $"250 changes in batches of 100 take at least 3 batches, not {batches}");

        using var response = await host.Client.GetAsync("metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var text = await response.Content.ReadAsStringAsync();
        var samples = Parse(text);

        Assert.Equal(rows, samples["actorsync_rows_applied_total{sync=\"measured\"}"]);
        Assert.Equal(batches, samples["actorsync_batches_total{sync=\"measured\"}"]);
        Assert.Equal(0, samples["actorsync_restarts_total{sync=\"measured\"}"]);
        Assert.Equal(0, samples["actorsync_pending_rows{sync=\"measured\"}"]);
        Assert.Equal(0, samples["actorsync_dead_letters{sync=\"measured\"}"]);
        Assert.Equal(0, samples["actorsync_lag_seconds{sync=\"measured\"}"]);
        Assert.Equal(batches, samples["actorsync_apply_seconds_count{sync=\"measured\"}"]);
        Assert.Equal(batches, samples["actorsync_apply_seconds_bucket{sync=\"measured\",le=\"+Inf\"}"]);
        Assert.True(samples["actorsync_apply_seconds_sum{sync=\"measured\"}"] > 0);
        var buckets = samples.Where(s => s.Key.StartsWith("actorsync_apply_seconds_bucket{sync=\"measured\"", StringComparison.Ordinal)).Select(s => s.Value).ToArray();
        Assert.Equal(15, buckets.Length);
        Assert.Equal(buckets.Order(), buckets);

        // A sync that never applied anything has its counters from the start, at zero. Its apply histogram appears with
        // its first batch: a synchronous histogram cannot be given a series without an observation.
        Assert.Equal(0, samples["actorsync_rows_applied_total{sync=\"quiet\"}"]);
        Assert.Equal(0, samples["actorsync_batches_total{sync=\"quiet\"}"]);
        Assert.Equal(0, samples["actorsync_restarts_total{sync=\"quiet\"}"]);
        Assert.DoesNotContain("actorsync_apply_seconds_count{sync=\"quiet\"}", samples.Keys);

        Assert.Equal(0, samples["actorsync_listener_reconnects_total{database=\"metered\"}"]);
        Assert.Equal(10, samples["actorsync_pool_max{database=\"metered\",role=\"read\"}"]);
        Assert.Equal(10, samples["actorsync_pool_max{database=\"metered\",role=\"write\"}"]);
        Assert.InRange(samples["actorsync_pool_leased{database=\"metered\",role=\"write\"}"], 0, 10);

        // Every family of ours, named, typed and labelled as the hand-written exporter did (ExportedMetrics pins that list).
        var types = TypeLine().Matches(text).Select(m => (Name: m.Groups[1].Value, Type: m.Groups[2].Value)).ToArray();
        Assert.Equal(types.Length, types.Select(t => t.Name).Distinct().Count());
        Assert.Equal(types.Length, HelpLine().Matches(text).Count);
        Assert.Equal(
            ExportedMetrics.Families.Select(f => (f.Name, f.Type)).OrderBy(f => f.Name, StringComparer.Ordinal),
            types.Where(t => t.Name.StartsWith("actorsync_", StringComparison.Ordinal)).OrderBy(t => t.Name, StringComparer.Ordinal));
        foreach (var (name, type, labels) in ExportedMetrics.Families)
        {
            var series = samples.Keys.Where(k => k.StartsWith(type == "histogram" ? name + "_count{" : name + "{", StringComparison.Ordinal)).ToArray();
            Assert.True(series.Length > 0, $"{name}: no series");
            Assert.All(series, s => Assert.Equal(labels, LabelName().Matches(s).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)));
        }

        // Npgsql's and ASP.NET Core's own metrics come along; Npgsql names a pool by ActorSync's database and role, not by
        // its connection string.
        Assert.All(ExportedMetrics.Libraries, name => Assert.Contains(types, t => t.Name == name));
        Assert.Equal(10, samples["db_client_connection_max{db_client_connection_pool_name=\"metered/write\"}"]);
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Every sample line, by name and labels; fails on any line that is not a comment or a well-formed sample.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            samples.Add(match.Groups[1].Value, match.Groups[2].Value == "+Inf" ? double.PositiveInfinity : double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
        }

        return samples;
    }

    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})?) (\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("^# TYPE (\\S+) (counter|gauge|histogram|summary|untyped)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex("""[{,]([a-zA-Z_][a-zA-Z0-9_]*)=""")]
    private static partial Regex LabelName();

    [GeneratedRegex("^# HELP (\\S+) .+$", RegexOptions.Multiline)]
    private static partial Regex HelpLine();
}
