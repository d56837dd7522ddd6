using ActorSync.Actors;
using ActorSync.Tests.Support;
using Npgsql;

namespace ActorSync.Tests.Telemetry;

/// <summary>
/// Traces and metrics pushed over OTLP (issue 21), received by an OTLP/HTTP receiver on loopback in the test: a span per
/// batch with its steps and Npgsql's command spans under them, per snapshot range, per admin command; a failed batch's
/// error; the resource naming the service.
/// </summary>
public sealed class TracingTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Batches_snapshot_ranges_commands_and_errors_are_exported_over_otlp_with_npgsql_spans_beneath()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var (target, databases) = await database.CreateTargetAsync("traced", "traced_refused");
        await database.ExecuteAsync("INSERT INTO traced SELECT g, 'before' FROM generate_series(1, 100) g");
        await EngineHarness.ExecuteAsync(target, "ALTER TABLE traced_refused ADD CHECK (v <> 'no')");
        await using var host = await AdminHost.StartAsync(
            databases,
            [
                "{ name = traced, source = \"src:public.traced\", target = \"tgt:public.traced\" }",
                "{ name = traced_refused, source = \"src:public.traced_refused\", target = \"tgt:public.traced_refused\" }",
            ],
            hostSettings: new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            });
        await host.WaitForStateAsync("traced", SyncStates.Idle);
        await database.ExecuteAsync("INSERT INTO traced SELECT g, 'after' FROM generate_series(101, 150) g");
        await database.ExecuteAsync("INSERT INTO traced_refused VALUES (1, 'no')");

        // The snapshot copied its range in a span of its own.
        var range = await Eventually.ValueAsync(
            () => Task.FromResult(receiver.Spans.FirstOrDefault(s => s.Name == "snapshot range" && Equals(s.Attributes.GetValueOrDefault("sync"), "traced"))),
            s => s is not null);
        Assert.Equal(100L, range!.Attributes["rows"]);
        Assert.True((long)range.Attributes["bytes"]! > 0);

        // A batch: its rows and bytes, and the source read, target write and commit as its children.
        var batch = await Eventually.ValueAsync(
            () => Task.FromResult(receiver.Spans.FirstOrDefault(s => s.Name == "batch" && Equals(s.Attributes.GetValueOrDefault("sync"), "traced"))),
            s => s is not null);
        Assert.NotNull(batch);
        Assert.Equal(50L, batch.Attributes["rows"]);
        Assert.True((long)batch.Attributes["bytes"]! > 0, "a cross-database batch moves bytes by COPY");
        Assert.Equal("", batch.ParentSpanId);
        var steps = await Eventually.ValueAsync(
            () => Task.FromResult(receiver.Spans.Where(s => s.ParentSpanId == batch.SpanId).ToArray()),
            s => s.Length >= 4);
        Assert.Equal(["commit", "delete consumed", "source read", "target write"], steps.Select(s => s.Name).Order(StringComparer.Ordinal));

        // Npgsql's spans nest under the steps, in the same trace.
        var stepIds = steps.Select(s => s.SpanId).ToHashSet();
        var npgsql = receiver.Spans.Where(s => stepIds.Contains(s.ParentSpanId)).ToArray();
        Assert.NotEmpty(npgsql);
        Assert.All(npgsql, s => Assert.Equal(batch.TraceId, s.TraceId));
        Assert.Contains(npgsql, s => Equals(s.Attributes.GetValueOrDefault("db.system.name"), "postgresql"));

        // A refused row fails the batch: the span has status Error, the message, and an exception event.
        var failed = await Eventually.ValueAsync(
            () => Task.FromResult(receiver.Spans.FirstOrDefault(s => s.Name == "batch" && Equals(s.Attributes.GetValueOrDefault("sync"), "traced_refused"))),
            s => s is not null);
        Assert.Equal(2, failed!.StatusCode);
        Assert.Contains("check constraint", failed.StatusMessage, StringComparison.Ordinal);
        Assert.Contains("exception", failed.Events);

        // The admin command, under ASP.NET Core's request span.
        // (Paused only now: a pause aborts a batch under way, and the batch above must have completed.)
        using (var paused = await host.Client.PostAsync("syncs/traced/pause", null))
        {
            Assert.True(paused.IsSuccessStatusCode, await paused.Content.ReadAsStringAsync());
        }
        // ActivitySources are process-wide: hosts of other test classes running now (LagMetricTests pauses 'lagging')
        // reach this host's exporter too, so every span is looked up by its sync (CI once took another host's pause).
        var command = await Eventually.ValueAsync(
            () => Task.FromResult(receiver.Spans.FirstOrDefault(s => s.Name == "admin pause" && Equals(s.Attributes.GetValueOrDefault("sync"), "traced"))),
            s => s is not null);
        var request = await Eventually.ValueAsync(
            () => Task.FromResult(receiver.Spans.FirstOrDefault(s => s.SpanId == command!.ParentSpanId)),
            s => s is not null);
        Assert.StartsWith("POST", request!.Name, StringComparison.Ordinal);

        // The resource, and the metrics over the same endpoint.
        Assert.Equal("actorsync", receiver.Resource["service.name"]);
        Assert.False(string.IsNullOrEmpty(receiver.Resource.GetValueOrDefault("service.instance.id")));
        await Eventually.AssertAsync(() =>
        {
            Assert.Contains("actorsync_rows_applied_total", receiver.MetricNames.Keys);
            Assert.Contains("actorsync_lag_seconds", receiver.MetricNames.Keys);
            Assert.Contains("db.client.operation.duration", receiver.MetricNames.Keys);
            return Task.CompletedTask;
        });
    }
}
