using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorSync.Hocon;
using BenchmarkDotNet.Attributes;

namespace ActorSync.Benchmarks.Hocon;

/// <summary>
/// Parse + resolve of a generated ~1 MiB HOCON document against System.Text.Json parsing the same data as JSON, all
/// from UTF-8 bytes. The HOCON text uses what real configurations use: unquoted keys and values, <c>=</c>, newlines
/// instead of commas, comments, path keys, durations and sizes, and a substitution in every tenth object. The JSON is
/// the resolved document rendered as JSON, so both hold exactly the same values. Goal (issue 4): within 3x of the
/// JSON parse time. <c>JsonDocument.Parse</c> is the baseline. It builds no objects per value, while the HOCON parser
/// builds a tree of values with origins, so <c>JsonNode.Parse</c> is shown too, once as parsed (its nodes are created
/// lazily) and once walked so that every node exists, which is the closest System.Text.Json equivalent. The HOCON parser
/// works on .NET strings, so its row includes decoding the UTF-8 bytes (a 2 MiB string); the row with the text decoded
/// in setup shows the parser and resolver alone, to compare with <c>JsonDocument.Parse</c> given the JSON as a string. Like a <c>JsonNode</c>, a HOCON tree makes the object for a simple
/// value (and its string) the first time it is read, so the last row reads every value, as the configuration provider
/// does when it flattens a document.
/// </summary>
[MemoryDiagnoser]
public class HoconParseBenchmarks
{
    private byte[] _hocon = [];
    private byte[] _json = [];
    private string _hoconText = "";
    private string _jsonText = "";

    [GlobalSetup]
    public void Setup()
    {
        _hoconText = Generate(1024 * 1024);
        _hocon = Encoding.UTF8.GetBytes(_hoconText);
        var resolved = HoconParser.Parse(Encoding.UTF8.GetString(_hocon)).Resolve(HoconResolveOptions.WithoutEnvironment);
        _jsonText = resolved.ToJson();
        _json = Encoding.UTF8.GetBytes(_jsonText);
        Console.WriteLine($"// HOCON document: {_hocon.Length:N0} bytes; equivalent JSON: {_json.Length:N0} bytes");
    }

    [Benchmark(Baseline = true, Description = "System.Text.Json JsonDocument.Parse")]
    public int JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(_json);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark(Description = "System.Text.Json JsonDocument.Parse, from a string")]
    public int JsonDocumentParseString()
    {
        using var document = JsonDocument.Parse(_jsonText);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark(Description = "System.Text.Json JsonNode.Parse")]
    public int JsonNodeParse() => JsonNode.Parse(_json)!.AsObject().Count;

    [Benchmark(Description = "System.Text.Json JsonNode.Parse, every node created")]
    public int JsonNodeParseAndWalk() => Walk(JsonNode.Parse(_json));

    [Benchmark(Description = "HOCON parse + resolve")]
    public int HoconParseAndResolve() =>
        ((HoconObject)HoconParser.Parse(Encoding.UTF8.GetString(_hocon)).Resolve(HoconResolveOptions.WithoutEnvironment)).Count;

    [Benchmark(Description = "HOCON parse + resolve, text decoded in setup")]
    public int HoconParseAndResolveDecoded() =>
        ((HoconObject)HoconParser.Parse(_hoconText).Resolve(HoconResolveOptions.WithoutEnvironment)).Count;

    [Benchmark(Description = "HOCON parse + resolve, every value read")]
    public int HoconParseResolveAndRead() =>
        Read(HoconParser.Parse(Encoding.UTF8.GetString(_hocon)).Resolve(HoconResolveOptions.WithoutEnvironment));

    private static int Read(HoconValue value) => value switch
    {
        HoconObject obj => obj.Sum(field => Read(field.Value)) + 1,
        HoconArray array => array.Sum(Read) + 1,
        HoconString text => text.Value.Length > 0 ? 1 : 0,
        HoconNumber number => number.Text.Length > 0 ? 1 : 0,
        _ => 1,
    };

    private static int Walk(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Sum(field => Walk(field.Value)) + 1,
        JsonArray array => array.Sum(Walk) + 1,
        _ => 1,
    };

    /// <summary>A configuration-like document of about <paramref name="size"/> characters.</summary>
    public static string Generate(int size)
    {
        var text = new StringBuilder(size + 1024);
        text.Append("# generated for HoconParseBenchmarks\n");
        for (var i = 0; text.Length < size; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            text.Append("// service ").Append(n).Append('\n');
            text.Append("service-").Append(n).Append(" {\n");
            text.Append("  name = service-").Append(n).Append('\n');
            text.Append("  host = \"10.0.").Append(i % 256).Append('.').Append(i / 256 % 256).Append("\"\n");
            text.Append("  port = ").Append(8000 + (i % 1000)).Append(", enabled = ").Append(i % 3 != 0 ? "true" : "false").Append('\n');
            text.Append("  ratio = 0.").Append(i % 97).Append('\n');
            text.Append("  timeout = ").Append(i % 60 + 1).Append("s  # a duration, kept as a string\n");
            text.Append("  limits.memory = ").Append(i % 16 + 1).Append("GiB\n");
            text.Append("  limits.cpu = ").Append(i % 8 + 1).Append('\n');
            text.Append("  tags = [ alpha, beta, \"gamma ").Append(n).Append("\" ]\n");
            text.Append("  description = Service number ").Append(n).Append(" of the generated document\n");
            if (i % 10 == 9)
            {
                text.Append("  upstream = ${service-").Append(i - 1).Append(".host}\":\"${service-").Append(i - 1).Append(".port}\n");
            }

            text.Append("}\n");
        }

        return text.ToString();
    }
}
