using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorSync.Admin;

/// <summary>The admin API's JSON, source-generated: camelCase names, nulls written out (a field is never missing).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(SyncResponse))]
[JsonSerializable(typeof(CommandResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(HealthResponse))]
public sealed partial class AdminJsonContext : JsonSerializerContext;
