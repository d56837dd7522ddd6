using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ActorSync.Admin;

namespace ActorSync.Cli;

/// <summary>
/// <c>actorsync dead-letters list|retry|discard SYNC [--key JSON] [--url URL] [--token TOKEN]</c> (issue #19): a running
/// service's dead letters for one sync, through <c>/syncs/{sync}/dead-letters</c>. <c>retry</c> queues the keys as
/// changes again; <c>discard</c> forgets them. The token is found as for <c>pause</c>. Exit 0 when done, 1 when refused
/// or the sync is unknown, 2 for a <c>--key</c> that is not a JSON object, 3 when the service cannot be reached.
/// </summary>
public static class DeadLettersCommand
{
    public static Command Create()
    {
        var command = new Command("dead-letters", "List, retry or discard the keys a sync's target refused (on-apply-error = dead-letter).");
        command.Subcommands.Add(Create("list", "Show a sync's dead letters: key, SQLSTATE, attempts, first and last seen, error."));
        command.Subcommands.Add(Create("retry", "Queue a sync's dead-lettered keys as changes again, so they are applied now."));
        command.Subcommands.Add(Create("discard", "Forget a sync's dead letters; the target keeps what it has for those keys."));
        return command;
    }

    private static Command Create(string action, string description)
    {
        var sync = new Argument<string>("sync") { Description = "The sync's name." };
        var key = new Option<string?>("--key") { Description = "Only this key, as JSON: {\"id\": 7}." };
        var url = AdminClient.CreateUrlOption();
        var token = AdminClient.CreateTokenOption();
        var config = CliConfig.CreateOption();
        var command = new Command(action, description) { sync, key, url, token, config };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var keyText = parseResult.GetValue(key);
            if (keyText is not null && !IsJsonObject(keyText))
            {
                await error.WriteLineAsync(
                    $"--key: '{keyText}' is not a JSON object of the key's columns, such as {{\"id\": 7}}".AsMemory(), cancellationToken);
                return ExitCodes.BadInput;
            }

            var (client, configuration) = await AdminClient.CreateAsync(parseResult, url, config, cancellationToken);
            if (client is null)
            {
                return ExitCodes.BadInput;
            }

            using (client)
            {
                var bearer = AdminClient.ResolveToken(parseResult, token, configuration);
                var syncName = parseResult.GetValue(sync)!;
                var path = $"syncs/{Uri.EscapeDataString(syncName)}/dead-letters{(action == "list" ? "" : "/" + action)}" +
                           (keyText is null ? "" : "?key=" + Uri.EscapeDataString(keyText));
                var answer = action == "list"
                    ? await client.GetAsync(path, bearer, cancellationToken)
                    : await client.PostAsync(path, bearer, cancellationToken);
                if (answer.Unreachable is { } unreachable)
                {
                    await error.WriteLineAsync(unreachable.AsMemory(), cancellationToken);
                    return ExitCodes.Unreachable;
                }

                if (answer.Status == HttpStatusCode.OK && Parse(answer.Body) is { } done)
                {
                    await WriteAsync(parseResult.InvocationConfiguration.Output, action, done, cancellationToken);
                    return ExitCodes.Ok;
                }

                await error.WriteLineAsync(
                    $"dead-letters {action} {syncName} refused (HTTP {(int?)answer.Status}): {answer.ErrorMessage}".AsMemory(), cancellationToken);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static async Task WriteAsync(TextWriter output, string action, DeadLettersResponse done, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case "list":
                await output.WriteLineAsync($"sync {done.Sync}: {done.DeadLetters} dead letter(s)".AsMemory(), cancellationToken);
                foreach (var letter in done.Items)
                {
                    var line = string.Create(
                        CultureInfo.InvariantCulture,
                        $"  {letter.Key.GetRawText()}  SQLSTATE {letter.SqlState}, {letter.Attempts} attempt(s), first {letter.FirstSeen:u}, last {letter.LastSeen:u}: {letter.Error}");
                    await output.WriteLineAsync(line.AsMemory(), cancellationToken);
                }

                break;
            case "retry":
                await output.WriteLineAsync(
                    $"sync {done.Sync}: {done.Affected} key(s) queued again; {done.DeadLetters} dead letter(s) until they apply".AsMemory(),
                    cancellationToken);
                break;
            default:
                await output.WriteLineAsync(
                    $"sync {done.Sync}: {done.Affected} dead letter(s) discarded, {done.DeadLetters} left".AsMemory(), cancellationToken);
                break;
        }
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static DeadLettersResponse? Parse(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, AdminJsonContext.Default.DeadLettersResponse);
        }
        catch (JsonException)
        {
            return null; // not a dead-letters answer: reported with the body
        }
    }
}
