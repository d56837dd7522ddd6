using ActorSync.Actors;
using ActorSync.Configuration;
using ActorSync.Logging;
using ActorSync.Metrics;
using ActorSync.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorSync.Admin;

/// <summary>
/// The admin HTTP endpoint's routes (issue 7; DESIGN.md, "Surfaces"): status, health, metrics and the sync commands.
/// Needs <see cref="AdminServiceCollectionExtensions.AddActorSyncAdmin"/>. Every error is JSON <c>{"error": ...}</c>.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapActorSyncAdmin(this IEndpointRouteBuilder endpoints)
    {
        var services = endpoints.ServiceProvider;
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => LogListening(services));

        // The meter provider listens once the host has started: the instruments exist by then, counters seeded at zero,
        // even while no engine is running yet.
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => services.GetRequiredService<ActorSyncMetrics>());

        endpoints.MapGet("/status", GetStatusAsync);
        endpoints.MapGet("/status/{sync}", GetSyncStatusAsync);
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(AdminServiceCollectionExtensions.LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadinessHealthCheck.Tag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        // The OpenTelemetry SDK's Prometheus exporter (ActorSyncTelemetry): text format 0.0.4, or OpenMetrics when asked.
        endpoints.MapPrometheusScrapingEndpoint("/metrics");

        var syncs = endpoints.MapGroup("/syncs/{sync}");
        foreach (var (command, message) in new (string, object)[]
                 {
                     ("pause", PauseRequested.Instance), ("resume", ResumeRequested.Instance), ("resync", ResyncRequested.Instance),
                 })
        {
            syncs.MapPost("/" + command, (string sync, HttpContext context, AdminEngine engine, AdminAccess access, ILoggerFactory loggers) =>
                CommandAsync(sync, command, message, context, engine, access, loggers));
        }

        syncs.MapGet("/dead-letters", (string sync, HttpContext context, AdminEngine engine, AdminAccess access, ILoggerFactory loggers) =>
            DeadLettersAsync(sync, DeadLetterAction.List, context, engine, access, loggers));
        syncs.MapPost("/dead-letters/retry", (string sync, HttpContext context, AdminEngine engine, AdminAccess access, ILoggerFactory loggers) =>
            DeadLettersAsync(sync, DeadLetterAction.Retry, context, engine, access, loggers));
        syncs.MapPost("/dead-letters/discard", (string sync, HttpContext context, AdminEngine engine, AdminAccess access, ILoggerFactory loggers) =>
            DeadLettersAsync(sync, DeadLetterAction.Discard, context, engine, access, loggers));

        return endpoints;
    }

    /// <summary>
    /// <c>/syncs/{sync}/dead-letters[/retry|/discard][?key=JSON]</c> (issue #19). Guarded like the commands, the list
    /// too: it shows key values and the target's error texts.
    /// </summary>
    private static async Task<IResult> DeadLettersAsync(
        string sync, DeadLetterAction action, HttpContext context, AdminEngine engine, AdminAccess access, ILoggerFactory loggers)
    {
        var command = action == DeadLetterAction.List ? "dead-letters" : "dead-letters " + action.ToString().ToLowerInvariant();
        if (Refused(command, context, access, loggers) is { } refusal)
        {
            return refusal;
        }

        var key = context.Request.Query["key"].ToString();
        if (key.Length > 0 && !IsJsonObject(key))
        {
            return Error(StatusCodes.Status400BadRequest, $"key must be a JSON object of the key's columns, such as {{\"id\": 1}}; got {key}");
        }

        try
        {
            if (engine.FindSync(sync) is not { } name)
            {
                return Error(StatusCodes.Status404NotFound, $"no sync named '{sync}'");
            }

            if (action != DeadLetterAction.List)
            {
                LogMessages.AdminCommand(loggers.CreateLogger(typeof(AdminEndpoints)), command, name, Remote(context));
            }

            using var span = ActorSyncActivities.StartCommand(command, name);

            var answer = await engine.DeadLettersAsync(name, new DeadLettersRequested(action, key.Length > 0 ? key : null), context.RequestAborted);
            return answer.Error is { } error
                ? Error(StatusCodes.Status503ServiceUnavailable, $"sync {name}: {SecretMasker.MaskText(error)}")
                : TypedResults.Json(DeadLettersResponse.From(answer), AdminJsonContext.Api.DeadLettersResponse);
        }
        catch (EngineUnavailableException unavailable)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, unavailable.Message);
        }
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static string Remote(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The answer for a caller without the right to command, or null when it has it.</summary>
    private static IResult? Refused(string command, HttpContext context, AdminAccess access, ILoggerFactory loggers)
    {
        var verdict = access.Check(context.Request);
        if (verdict.IsAllowed)
        {
            return null;
        }

        LogMessages.AdminCommandRefused(loggers.CreateLogger(typeof(AdminEndpoints)), command, Remote(context), verdict.StatusCode, verdict.Refusal!);
        if (verdict.StatusCode == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        return Error(verdict.StatusCode, verdict.Refusal!);
    }

    private static async Task<IResult> GetStatusAsync(AdminEngine engine, CancellationToken cancellationToken)
    {
        try
        {
            var (status, _) = await engine.GetStatusAsync(cancellationToken);
            return TypedResults.Json(status, AdminJsonContext.Api.StatusResponse);
        }
        catch (EngineUnavailableException unavailable)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, unavailable.Message);
        }
    }

    private static async Task<IResult> GetSyncStatusAsync(string sync, AdminEngine engine, CancellationToken cancellationToken)
    {
        try
        {
            if (engine.FindSync(sync) is not { } name)
            {
                return Error(StatusCodes.Status404NotFound, $"no sync named '{sync}'");
            }

            var (status, _) = await engine.GetStatusAsync(cancellationToken);
            return status.Syncs.FirstOrDefault(s => s.Name == name) is { } found
                ? TypedResults.Json(found, AdminJsonContext.Api.SyncResponse)
                : Error(StatusCodes.Status503ServiceUnavailable, $"sync '{name}' did not answer within {AdminEngine.AskTimeout.TotalSeconds:0} s");
        }
        catch (EngineUnavailableException unavailable)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, unavailable.Message);
        }
    }

    private static async Task<IResult> CommandAsync(
        string sync, string command, object message, HttpContext context, AdminEngine engine, AdminAccess access, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AdminEndpoints));
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

        // Access first: a caller without the right to command learns nothing, not even which syncs exist.
        var verdict = access.Check(context.Request);
        if (!verdict.IsAllowed)
        {
            LogMessages.AdminCommandRefused(logger, command, remote, verdict.StatusCode, verdict.Refusal!);
            if (verdict.StatusCode == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            return Error(verdict.StatusCode, verdict.Refusal!);
        }

        try
        {
            if (engine.FindSync(sync) is not { } name)
            {
                return Error(StatusCodes.Status404NotFound, $"no sync named '{sync}'");
            }

            LogMessages.AdminCommand(logger, command, name, remote);
            using var span = ActorSyncActivities.StartCommand(command, name);
            var accepted = await engine.CommandAsync(name, message, context.RequestAborted);
            return TypedResults.Json(accepted, AdminJsonContext.Api.CommandResponse);
        }
        catch (EngineUnavailableException unavailable)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, unavailable.Message);
        }
    }

    // Once Kestrel has bound: the real addresses (port 0 resolved) and what guards the commands there.
    private static void LogListening(IServiceProvider services)
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        LogMessages.AdminListening(
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminEndpoints)),
            string.Join(", ", addresses), services.GetRequiredService<AdminAccess>().Describe());
    }

    private static IResult Error(int statusCode, string message) =>
        TypedResults.Json(new ErrorResponse(message), AdminJsonContext.Api.ErrorResponse, statusCode: statusCode);
}
