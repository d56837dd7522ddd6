using ActorSync.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorSync.Admin;

/// <summary>Writes a health report as JSON: <c>{"status":"healthy|degraded|unhealthy","reasons":[...]}</c>.</summary>
public static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var reasons = report.Entries.Values
            .Where(entry => entry.Status != HealthStatus.Healthy)
            .SelectMany(entry => entry.Data.TryGetValue("reasons", out var listed) && listed is IReadOnlyList<string> list
                ? list
                : [SecretMasker.MaskText(entry.Description ?? entry.Exception?.Message ?? "unhealthy")])
            .ToArray();
        var response = new HealthResponse(report.Status.ToString().ToLowerInvariant(), reasons);
        return context.Response.WriteAsJsonAsync(response, AdminJsonContext.Api.HealthResponse, contentType: null, context.RequestAborted);
    }
}
