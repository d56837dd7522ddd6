using System.Diagnostics.Metrics;
using ActorSync.Admin;

namespace ActorSync.Tests.Admin;

/// <summary>
/// The exporter alone, on a meter of its own: the text exposition format 0.0.4
/// (https://prometheus.io/docs/instrumenting/exposition_formats/).
/// </summary>
public sealed class PrometheusExporterTests : IDisposable
{
    private readonly Meter _meter = new("ActorSync.Tests." + Guid.NewGuid().ToString("N"));
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterTests()
    {
        var meter = _meter;
        _exporter = new PrometheusExporter(m => ReferenceEquals(m, meter));
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void A_counter_is_the_sum_of_its_measurements_per_label_set_with_one_help_and_type_line()
    {
        var counter = _meter.CreateCounter<long>("rows_total", description: "Rows.");
        counter.Add(2, new KeyValuePair<string, object?>("sync", "a"));
        counter.Add(3, new KeyValuePair<string, object?>("sync", "a"));
        counter.Add(7, new KeyValuePair<string, object?>("sync", "b"));

        Assert.Equal("""
            # HELP rows_total Rows.
            # TYPE rows_total counter
            rows_total{sync="a"} 5
            rows_total{sync="b"} 7

            """.ReplaceLineEndings("\n"), _exporter.Render());
    }

    [Fact]
    public void A_gauge_is_its_last_value_and_an_up_down_counter_a_gauge_of_its_sum()
    {
        var gauge = _meter.CreateGauge<double>("lag_seconds", description: "Lag.");
        gauge.Record(4.5);
        gauge.Record(0.25);
        var upDown = _meter.CreateUpDownCounter<int>("in_flight", description: "In flight.");
        upDown.Add(3);
        upDown.Add(-1);

        Assert.Equal("""
            # HELP in_flight In flight.
            # TYPE in_flight gauge
            in_flight 2
            # HELP lag_seconds Lag.
            # TYPE lag_seconds gauge
            lag_seconds 0.25

            """.ReplaceLineEndings("\n"), _exporter.Render());
    }

    [Fact]
    public void A_histogram_has_cumulative_buckets_up_to_plus_inf_then_sum_and_count()
    {
        var histogram = _meter.CreateHistogram<double>(
            "apply_seconds", "s", "Apply.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 1, 2.5] });
        var tag = new KeyValuePair<string, object?>("sync", "s");
        foreach (var value in new[] { 0.125, 0.25, 0.5, 3, 10 })
        {
            histogram.Record(value, tag);
        }

        Assert.Equal("""
            # HELP apply_seconds Apply.
            # TYPE apply_seconds histogram
            apply_seconds_bucket{sync="s",le="0.25"} 2
            apply_seconds_bucket{sync="s",le="1"} 3
            apply_seconds_bucket{sync="s",le="2.5"} 3
            apply_seconds_bucket{sync="s",le="+Inf"} 5
            apply_seconds_sum{sync="s"} 13.875
            apply_seconds_count{sync="s"} 5

            """.ReplaceLineEndings("\n"), _exporter.Render());
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_line_feed_and_labels_are_sorted_by_name()
    {
        var counter = _meter.CreateCounter<long>("escaped_total", description: "Help with a \\ and a\nline feed.");
        counter.Add(1, new KeyValuePair<string, object?>("sync", "a\\b\"c\nd"), new KeyValuePair<string, object?>("database", "db"));

        Assert.Equal("""
            # HELP escaped_total Help with a \\ and a\nline feed.
            # TYPE escaped_total counter
            escaped_total{database="db",sync="a\\b\"c\nd"} 1

            """.ReplaceLineEndings("\n"), _exporter.Render());
    }

    [Fact]
    public void Seeded_series_are_scraped_at_zero_before_their_first_measurement_and_unknown_instruments_are_ignored()
    {
        _meter.CreateCounter<long>("seeded_total", description: "Seeded.");
        _meter.CreateHistogram<double>("seeded_seconds", "s", "Seeded.", tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1] });
        var tag = new KeyValuePair<string, object?>("sync", "quiet");

        _exporter.Seed("seeded_total", tag);
        _exporter.Seed("seeded_seconds", tag);
        _exporter.Seed("no_such_instrument", tag);

        Assert.Equal("""
            # HELP seeded_seconds Seeded.
            # TYPE seeded_seconds histogram
            seeded_seconds_bucket{sync="quiet",le="1"} 0
            seeded_seconds_bucket{sync="quiet",le="+Inf"} 0
            seeded_seconds_sum{sync="quiet"} 0
            seeded_seconds_count{sync="quiet"} 0
            # HELP seeded_total Seeded.
            # TYPE seeded_total counter
            seeded_total{sync="quiet"} 0

            """.ReplaceLineEndings("\n"), _exporter.Render());
    }

    [Fact]
    public void Other_meters_are_not_exported()
    {
        using var other = new Meter("ActorSync.Tests.Other." + Guid.NewGuid().ToString("N"));
        other.CreateCounter<long>("elsewhere_total").Add(1);
        other.CreateObservableGauge("elsewhere", () => 1);

        Assert.Equal("", _exporter.Render());
    }

    [Fact]
    public void An_observable_gauge_is_observed_at_each_render()
    {
        var value = 1L;
        _meter.CreateObservableGauge(
            "slot_bytes", () => new Measurement<long>(value, new KeyValuePair<string, object?>("database", "a")), description: "Bytes.");

        var first = _exporter.Render();
        value = 42;

        Assert.Equal("# HELP slot_bytes Bytes.\n# TYPE slot_bytes gauge\nslot_bytes{database=\"a\"} 1\n", first);
        Assert.Equal("# HELP slot_bytes Bytes.\n# TYPE slot_bytes gauge\nslot_bytes{database=\"a\"} 42\n", _exporter.Render());
    }
}
