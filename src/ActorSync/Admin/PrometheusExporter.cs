using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using ActorSync.Metrics;

namespace ActorSync.Admin;

/// <summary>
/// <c>GET /metrics</c>: a <see cref="MeterListener"/> on the <c>ActorSync</c> meter that keeps what Prometheus scrapes
/// and renders it in the text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/).
/// Counters are sums, gauges last values, histograms cumulative <c>_bucket{le=...}</c> series with <c>_sum</c> and
/// <c>_count</c>; tags become labels. Observable gauges are observed at each render.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // The OpenTelemetry SDK's default boundaries, for a histogram without advice.
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<string, Family> _families = new(StringComparer.Ordinal);

    /// <summary>
    /// Listens to the <c>ActorSync</c> meter of this host (created by its <paramref name="meterFactory"/>), not to the
    /// meters of other engines in the same process.
    /// </summary>
    public PrometheusExporter(IMeterFactory meterFactory, ActorSyncMetrics metrics)
        : this(meter => meter.Name == ActorSyncMetrics.MeterName && ReferenceEquals(meter.Scope, meterFactory))
    {
        // Taking the metrics makes sure their instruments exist before the listener starts, so none is missed.
        GC.KeepAlive(metrics);
    }

    /// <summary>Listens to every instrument of the meters <paramref name="listensTo"/> accepts.</summary>
    internal PrometheusExporter(Func<Meter, bool> listensTo)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (listensTo(instrument.Meter) && Family.For(instrument) is { } family && _families.TryAdd(family.Name, family))
                {
                    listener.EnableMeasurementEvents(instrument, family);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>
    /// Makes a series exist at zero before its first measurement, so a counter is scraped from the start (Prometheus
    /// advises against series that appear late: rate() misses their first increase). Ignored for unknown instruments.
    /// </summary>
    public void Seed(string instrument, params KeyValuePair<string, object?>[] tags)
    {
        if (_families.TryGetValue(Sanitize(instrument, colons: true), out var family))
        {
            family.Seed(tags);
        }
    }

    /// <summary>Everything collected, one HELP and TYPE line per family, families and series in name order.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            family.Render(text);
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private static string Sanitize(string name, bool colons)
    {
        var text = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (colons && c == ':') ? c : '_');
        }

        if (text.Length == 0 || char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, '_');
        }

        return text.ToString();
    }

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    // Label values escape backslash, double quote and line feed; HELP text escapes backslash and line feed.
    private static string EscapeLabel(string value) =>
        value.Replace("\\", @"\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", @"\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) =>
        value.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    /// <summary>One metric family: an instrument and its series, keyed by their rendered labels.</summary>
    private sealed class Family(string name, Kind kind, string help, double[]? buckets)
    {
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);

        public string Name { get; } = name;

        public static Family? For(Instrument instrument)
        {
            var generic = instrument.GetType() is { IsGenericType: true } type ? type.GetGenericTypeDefinition() : null;
            Kind? kind = generic == typeof(Counter<>) ? Kind.Counter
                : generic == typeof(UpDownCounter<>) ? Kind.UpDownCounter
                : generic == typeof(Gauge<>) || generic == typeof(ObservableGauge<>) ? Kind.Gauge
                : generic == typeof(Histogram<>) ? Kind.Histogram
                : null;
            return kind is { } known
                ? new Family(
                    Sanitize(instrument.Name, colons: true), known, instrument.Description ?? "", known == Kind.Histogram ? Boundaries(instrument) : null)
                : null;
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            _series.GetOrAdd(Labels(tags), _ => new Series(buckets)).Record(kind, value, buckets);

        public void Seed(KeyValuePair<string, object?>[] tags) => _series.GetOrAdd(Labels(tags), _ => new Series(buckets));

        public void Render(StringBuilder text)
        {
            text.Append("# HELP ").Append(Name).Append(' ').Append(EscapeHelp(help)).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(kind switch
            {
                Kind.Counter => "counter",
                Kind.Histogram => "histogram",
                _ => "gauge",
            }).Append('\n');
            foreach (var (labels, series) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                series.Render(text, Name, labels, buckets);
            }
        }

        private static double[] Boundaries(Instrument instrument) => instrument switch
        {
            Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds],
            Histogram<long> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
            Histogram<int> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
            _ => DefaultBuckets,
        };

        // name="value" pairs sorted by name, joined by commas: the key of a series and its rendered labels.
        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.IsEmpty)
            {
                return "";
            }

            var pairs = new List<(string Name, string Value)>(tags.Length);
            foreach (var (key, value) in tags)
            {
                pairs.Add((Sanitize(key, colons: false), value is IFormattable formattable
                    ? formattable.ToString(null, CultureInfo.InvariantCulture)
                    : value?.ToString() ?? ""));
            }

            pairs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return string.Join(",", pairs.Select(p => $"{p.Name}=\"{EscapeLabel(p.Value)}\""));
        }
    }

    private enum Kind
    {
        Counter,
        UpDownCounter,
        Gauge,
        Histogram,
    }

    /// <summary>One series: a sum (counter, up-down counter), a last value (gauge), or a histogram's counts.</summary>
    private sealed class Series(double[]? buckets)
    {
        private readonly Lock _lock = new();
        private readonly long[]? _bucketCounts = buckets is null ? null : new long[buckets.Length + 1];
        private double _value;
        private long _count;

        public void Record(Kind kind, double value, double[]? bounds)
        {
            lock (_lock)
            {
                switch (kind)
                {
                    case Kind.Gauge:
                        _value = value;
                        break;
                    case Kind.Histogram:
                        _value += value;
                        _count++;
                        var index = Array.FindIndex(bounds!, bound => value <= bound);
                        _bucketCounts![index < 0 ? bounds!.Length : index]++;
                        break;
                    default:
                        _value += value;
                        break;
                }
            }
        }

        public void Render(StringBuilder text, string name, string labels, double[]? bounds)
        {
            lock (_lock)
            {
                if (_bucketCounts is null)
                {
                    Sample(text, name, labels, _value);
                    return;
                }

                // Buckets are cumulative: le="x" counts every observation <= x; le="+Inf" counts them all.
                long cumulative = 0;
                for (var i = 0; i < _bucketCounts.Length; i++)
                {
                    cumulative += _bucketCounts[i];
                    var le = $"le=\"{(i < bounds!.Length ? Format(bounds[i]) : "+Inf")}\"";
                    Sample(text, name + "_bucket", labels.Length == 0 ? le : labels + "," + le, cumulative);
                }

                Sample(text, name + "_sum", labels, _value);
                Sample(text, name + "_count", labels, _count);
            }
        }

        private static void Sample(StringBuilder text, string name, string labels, double value)
        {
            text.Append(name);
            if (labels.Length > 0)
            {
                text.Append('{').Append(labels).Append('}');
            }

            text.Append(' ').Append(Format(value)).Append('\n');
        }
    }
}
