using ActorSync.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorSync.Admin;

/// <summary>Writes a health report as JSON: <c>{"status":"healthy|degraded|unhealthy","reasons":[...]}</c>.</summary>
public static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        // A healthy entry may still say something that does not count against it (a sync's dead letters, issue #19).
        var reasons = report.Entries.Values
            .SelectMany(entry => entry.Data.TryGetValue("reasons", out var listed) && listed is IReadOnlyList<string> list
                ? list
                : entry.Status != HealthStatus.Healthy
                    ? [SecretMasker.MaskText(entry.Description ?? entry.Exception?.Message ?? "unhealthy")]
                    : [])
            .ToArray();
        var response = new HealthResponse(report.Status.ToString().ToLowerInvariant(), reasons);
        return context.Response.WriteAsJsonAsync(response, AdminJsonContext.Api.HealthResponse, contentType: null, context.RequestAborted);
    }
}
