using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorSync.Admin;

/// <summary>The admin HTTP endpoint's routes (issue 7).</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapActorSyncAdmin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/live", () => Results.Ok(new { status = "live" }));
        return endpoints;
    }
}
