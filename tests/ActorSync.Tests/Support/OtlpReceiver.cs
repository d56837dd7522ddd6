using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActorSync.Tests.Support;

/// <summary>
/// An OTLP/HTTP receiver on a free port of 127.0.0.1 (https://opentelemetry.io/docs/specs/otlp/#otlphttp): accepts
/// binary protobuf on <c>/v1/traces</c> and <c>/v1/metrics</c> and keeps the spans and metric names it decodes. The
/// decoder reads only the fields the tests look at, straight from the protobuf wire format (field numbers from
/// opentelemetry-proto's trace.proto, metrics.proto, common.proto and resource.proto).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    public ConcurrentDictionary<string, byte> MetricNames { get; } = new(StringComparer.Ordinal);

    /// <summary>Resource attributes of the last export, such as <c>service.name</c>.</summary>
    public ConcurrentDictionary<string, string> Resource { get; } = new(StringComparer.Ordinal);

    public string Endpoint => _app.Urls.Single();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            receiver.ReadTraces(await ReadBodyAsync(request));
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            receiver.ReadMetrics(await ReadBodyAsync(request));
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        return body.ToArray();
    }

    // ExportTraceServiceRequest: 1 resource_spans. ResourceSpans: 1 resource, 2 scope_spans. ScopeSpans: 2 spans.
    private void ReadTraces(byte[] body)
    {
        foreach (var resourceSpans in Fields(body).Where(f => f.Number == 1))
        {
            foreach (var field in Fields(resourceSpans.Bytes))
            {
                if (field.Number == 1)
                {
                    ReadResource(field.Bytes);
                }
                else if (field.Number == 2)
                {
                    foreach (var span in Fields(field.Bytes).Where(f => f.Number == 2))
                    {
                        Spans.Enqueue(ReceivedSpan.Read(span.Bytes));
                    }
                }
            }
        }
    }

    // ExportMetricsServiceRequest: 1 resource_metrics. ResourceMetrics: 2 scope_metrics. ScopeMetrics: 2 metrics. Metric: 1 name.
    private void ReadMetrics(byte[] body)
    {
        foreach (var resourceMetrics in Fields(body).Where(f => f.Number == 1))
        {
            foreach (var scope in Fields(resourceMetrics.Bytes).Where(f => f.Number == 2))
            {
                foreach (var metric in Fields(scope.Bytes).Where(f => f.Number == 2))
                {
                    MetricNames.TryAdd(Encoding.UTF8.GetString(Fields(metric.Bytes).First(f => f.Number == 1).Bytes), 0);
                }
            }
        }
    }

    // Resource: 1 attributes (KeyValue).
    private void ReadResource(byte[] resource)
    {
        foreach (var (key, value) in Fields(resource).Where(f => f.Number == 1).Select(f => ReadKeyValue(f.Bytes)))
        {
            Resource[key] = value?.ToString() ?? "";
        }
    }

    // KeyValue: 1 key, 2 value (AnyValue: 1 string, 2 bool, 3 int64, 4 double).
    internal static (string Key, object? Value) ReadKeyValue(byte[] keyValue)
    {
        var key = "";
        object? value = null;
        foreach (var field in Fields(keyValue))
        {
            if (field.Number == 1)
            {
                key = Encoding.UTF8.GetString(field.Bytes);
            }
            else if (field.Number == 2)
            {
                foreach (var any in Fields(field.Bytes))
                {
                    value = any.Number switch
                    {
                        1 => Encoding.UTF8.GetString(any.Bytes),
                        2 => any.Varint != 0,
                        3 => (long)any.Varint,
                        4 => BitConverter.UInt64BitsToDouble(any.Varint),
                        _ => value,
                    };
                }
            }
        }

        return (key, value);
    }

    /// <summary>The fields of one protobuf message: number, and the value as bytes (length-delimited) or as a number.</summary>
    internal static List<(int Number, byte[] Bytes, ulong Varint)> Fields(byte[] message)
    {
        var fields = new List<(int, byte[], ulong)>();
        var at = 0;
        while (at < message.Length)
        {
            var tag = ReadVarint(message, ref at);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    fields.Add((number, [], ReadVarint(message, ref at)));
                    break;
                case 1:
                    fields.Add((number, [], BitConverter.ToUInt64(message, at)));
                    at += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref at);
                    fields.Add((number, message[at..(at + length)], 0));
                    at += length;
                    break;
                case 5:
                    fields.Add((number, [], BitConverter.ToUInt32(message, at)));
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"protobuf wire type {tag & 7} at byte {at}");
            }
        }

        return fields;
    }

    private static ulong ReadVarint(byte[] message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}

/// <summary>
/// One span as exported. Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 7 start, 8 end (fixed64 ns),
/// 9 attributes, 11 events (Event: 2 name), 15 status (Status: 2 message, 3 code; 2 is error).
/// </summary>
public sealed record ReceivedSpan(
    string TraceId, string SpanId, string ParentSpanId, string Name, TimeSpan Duration, IReadOnlyDictionary<string, object?> Attributes,
    IReadOnlyList<string> Events, int StatusCode, string StatusMessage)
{
    public static ReceivedSpan Read(byte[] span)
    {
        string traceId = "", spanId = "", parent = "", name = "", statusMessage = "";
        ulong start = 0, end = 0;
        var statusCode = 0;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var events = new List<string>();
        foreach (var field in OtlpReceiver.Fields(span))
        {
            switch (field.Number)
            {
                case 1: traceId = Convert.ToHexString(field.Bytes); break;
                case 2: spanId = Convert.ToHexString(field.Bytes); break;
                case 4: parent = Convert.ToHexString(field.Bytes); break;
                case 5: name = Encoding.UTF8.GetString(field.Bytes); break;
                case 7: start = field.Varint; break;
                case 8: end = field.Varint; break;
                case 9:
                    var (key, value) = OtlpReceiver.ReadKeyValue(field.Bytes);
                    attributes[key] = value;
                    break;
                case 11:
                    events.Add(Encoding.UTF8.GetString(OtlpReceiver.Fields(field.Bytes).FirstOrDefault(f => f.Number == 2).Bytes ?? []));
                    break;
                case 15:
                    foreach (var status in OtlpReceiver.Fields(field.Bytes))
                    {
                        if (status.Number == 2)
                        {
                            statusMessage = Encoding.UTF8.GetString(status.Bytes);
                        }
                        else if (status.Number == 3)
                        {
                            statusCode = (int)status.Varint;
                        }
                    }

                    break;
            }
        }

        return new ReceivedSpan(traceId, spanId, parent, name, TimeSpan.FromTicks((long)(end - start) / 100), attributes, events, statusCode, statusMessage);
    }
}
