using System.CommandLine;
using System.Net;
using System.Text.Json;
using ActorSync.Admin;

namespace ActorSync.Cli;

/// <summary>
/// <c>actorsync pause|resume|resync SYNC [--url URL] [--token TOKEN]</c>: sends the command to a running service
/// (<c>POST /syncs/{sync}/…</c>). The token is <c>--token</c>, else <c>ACTORSYNC_ADMIN_TOKEN</c>, else
/// <c>admin.token</c> of the configuration. Exit 0 when accepted, 1 when refused or the sync is unknown (with the
/// service's message), 3 when the service cannot be reached.
/// </summary>
public static class SyncCommandCommands
{
    public static IEnumerable<Command> Create() =>
    [
        Create("pause", "Stop applying a sync's changes (they keep being captured); kept across restarts."),
        Create("resume", "Apply a paused sync's changes again."),
        Create("resync", "Copy a sync's table again from scratch, then stream; other syncs keep streaming."),
    ];

    private static Command Create(string name, string description)
    {
        var sync = new Argument<string>("sync") { Description = "The sync's name." };
        var url = AdminClient.CreateUrlOption();
        var token = AdminClient.CreateTokenOption();
        var config = CliConfig.CreateOption();
        var command = new Command(name, description) { sync, url, token, config };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (client, configuration) = await AdminClient.CreateAsync(parseResult, url, config, cancellationToken);
            if (client is null)
            {
                return ExitCodes.BadInput;
            }

            using (client)
            {
                var bearer = AdminClient.ResolveToken(parseResult, token, configuration);

                var syncName = parseResult.GetValue(sync)!;
                var answer = await client.PostAsync($"syncs/{Uri.EscapeDataString(syncName)}/{name}", bearer, cancellationToken);
                var error = parseResult.InvocationConfiguration.Error;
                if (answer.Unreachable is { } unreachable)
                {
                    await error.WriteLineAsync(unreachable.AsMemory(), cancellationToken);
                    return ExitCodes.Unreachable;
                }

                if (answer.Status == HttpStatusCode.OK && Parse(answer.Body) is { } accepted)
                {
                    var output = parseResult.InvocationConfiguration.Output;
                    await output.WriteLineAsync($"sync {accepted.Sync}: {accepted.State}".AsMemory(), cancellationToken);
                    return ExitCodes.Ok;
                }

                await error.WriteLineAsync(
                    $"{name} {syncName} refused (HTTP {(int?)answer.Status}): {answer.ErrorMessage}".AsMemory(), cancellationToken);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static CommandResponse? Parse(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, AdminJsonContext.Default.CommandResponse);
        }
        catch (JsonException)
        {
            return null; // not a command answer: reported with the body
        }
    }
}
