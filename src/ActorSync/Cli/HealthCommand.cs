using System.CommandLine;
using System.Net;
using System.Text.Json;
using ActorSync.Admin;

namespace ActorSync.Cli;

/// <summary>
/// <c>actorsync health [--url URL]</c>: asks <c>GET /health/ready</c> of a running service (the Docker HEALTHCHECK).
/// Exit 0 when ready (also when degraded: a failing sync does not make the service unready), 1 when not ready, with the
/// reasons on stderr, 3 when the service cannot be reached.
/// </summary>
public static class HealthCommand
{
    public static Command Create()
    {
        var url = AdminClient.CreateUrlOption();
        var config = CliConfig.CreateOption();
        var command = new Command(
            "health", "Check that the running service is ready: listener connected, every sync started (exit 0 ready, 1 not ready, 3 unreachable).")
        {
            url, config,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (client, _) = await AdminClient.CreateAsync(parseResult, url, config, cancellationToken);
            if (client is null)
            {
                return ExitCodes.BadInput;
            }

            using (client)
            {
                var answer = await client.GetAsync("health/ready", cancellationToken);
                var error = parseResult.InvocationConfiguration.Error;
                if (answer.Unreachable is { } unreachable)
                {
                    await error.WriteLineAsync(unreachable.AsMemory(), cancellationToken);
                    return ExitCodes.Unreachable;
                }

                var report = Parse(answer.Body);
                if (answer.Status == HttpStatusCode.OK && report is not null)
                {
                    var output = parseResult.InvocationConfiguration.Output;
                    var verdict = report.Status == "healthy" ? "ready" : $"ready ({report.Status})";
                    await output.WriteLineAsync(string.Join("\n", report.Reasons.Prepend(verdict)).AsMemory(), cancellationToken);
                    return ExitCodes.Ok;
                }

                var reasons = report?.Reasons is { Count: > 0 } listed ? listed : [answer.ErrorMessage];
                var heading = $"not ready (HTTP {(int?)answer.Status}):";
                await error.WriteLineAsync(string.Join("\n", reasons.Prepend(heading)).AsMemory(), cancellationToken);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static HealthResponse? Parse(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, AdminJsonContext.Default.HealthResponse);
        }
        catch (JsonException)
        {
            return null; // not a health report: the body itself is shown
        }
    }
}
