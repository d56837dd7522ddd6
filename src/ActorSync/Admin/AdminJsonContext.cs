using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorSync.Admin;

/// <summary>The admin API's JSON, source-generated: camelCase names, nulls written out (a field is never missing).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(SyncResponse))]
[JsonSerializable(typeof(CommandResponse))]
[JsonSerializable(typeof(DeadLettersResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(HealthResponse))]
public sealed partial class AdminJsonContext : JsonSerializerContext
{
    private static AdminJsonContext? _api;

    /// <summary>
    /// What the endpoints write with: quotes, apostrophes and non-ASCII text (a PostgreSQL message, a quoted table
    /// name) stay readable instead of becoming <c>\u0027</c>. Safe because the answers are served as JSON, never
    /// embedded in HTML.
    /// </summary>
    // Built on first use: static initializers in the generated half of this class run in no defined order with this one.
    public static AdminJsonContext Api =>
        _api ??= new(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
