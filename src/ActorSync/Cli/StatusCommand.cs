using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ActorSync.Actors;
using ActorSync.Admin;
using ActorSync.Capture;

namespace ActorSync.Cli;

/// <summary>
/// <c>actorsync status [--url URL] [--json]</c>: what every sync of a running service is doing, from its
/// <c>GET /status</c> — a table for people, the JSON as the service returned it for scripts. Exit 1 when any sync is
/// <c>failing</c> (or the service answers with an error), 3 when the service cannot be reached.
/// </summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var url = AdminClient.CreateUrlOption();
        var json = new Option<bool>("--json") { Description = "Print the JSON of GET /status as the service returned it." };
        var config = CliConfig.CreateOption();
        var command = new Command(
            "status", "Show what every sync of the running service is doing (exit 1 when one is failing, 3 when the service cannot be reached).")
        {
            url, json, config,
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
                var output = parseResult.InvocationConfiguration.Output;
                var error = parseResult.InvocationConfiguration.Error;
                var answer = await client.GetAsync("status", cancellationToken);
                if (answer.Unreachable is { } unreachable)
                {
                    await error.WriteLineAsync(unreachable.AsMemory(), cancellationToken);
                    return ExitCodes.Unreachable;
                }

                if (answer.Status != HttpStatusCode.OK || Parse(answer.Body) is not { } status)
                {
                    await error.WriteLineAsync(
                        $"{client.BaseAddress}status answered {(int?)answer.Status}: {answer.ErrorMessage}".AsMemory(), cancellationToken);
                    return ExitCodes.Failure;
                }

                if (parseResult.GetValue(json))
                {
                    await output.WriteLineAsync(answer.Body.TrimEnd().AsMemory(), cancellationToken);
                }
                else if (Terminal.IsInteractive(output))
                {
                    Terminal.For(output).Write(StatusTable.Render(status));
                }
                else
                {
                    await output.WriteLineAsync(Describe(status).AsMemory(), cancellationToken);
                }

                return status.Syncs.Any(s => s.State == SyncStates.Failing) ? ExitCodes.Failure : ExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>
    /// The table as plain text, for redirected output: sync, state, lag, pending, applied, restarts, dead letters, last
    /// error; then the listener, pools and version. A terminal gets <see cref="StatusTable"/>.
    /// </summary>
    public static string Describe(StatusResponse status)
    {
        string[] header = ["SYNC", "STATE", "LAG", "PENDING", "APPLIED", "RESTARTS", "DEAD LETTERS", "LAST ERROR"];
        var rows = status.Syncs.Select(s => new[]
        {
            s.Name,
            s.Snapshot is { RowsEstimated: > 0 } snapshot
                ? $"{s.State} {Math.Min(100, 100 * snapshot.RowsCopied / snapshot.RowsEstimated)}%"
                : s.State,
            Lag(s.LagSeconds),
            s.PendingRows.ToString(CultureInfo.InvariantCulture),
            s.RowsApplied.ToString(CultureInfo.InvariantCulture),
            s.Restarts.ToString(CultureInfo.InvariantCulture),
            s.DeadLetters.ToString(CultureInfo.InvariantCulture),
            s.LastError is { } error
                ? $"{error.Message.ReplaceLineEndings(" ")} (at {error.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z)"
                : "-",
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            for (var i = 0; i < row.Length; i++)
            {
                // Figures right-aligned (columns 2 to 6), words left-aligned; the last column is not padded.
                var cell = i is >= 2 and <= 6 ? row[i].PadLeft(widths[i]) : i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i]);
                text.Append(cell).Append(i == row.Length - 1 ? "" : "  ");
            }

            text.Append('\n');
        }

        if (rows.Count == 0)
        {
            text.Append("(no syncs)\n");
        }

        var listener = status.Listener;
        var lastNotification = listener.LastNotificationAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never";
        var pools = status.Pools.Select(p => FormattableString.Invariant($"{p.Database}/{p.Role} {p.Leased}/{p.Max}"));
        text.Append('\n')
            .Append("listener: ").Append(listener.Connected ? "connected" : "NOT CONNECTED")
            .Append(", last notification ").Append(lastNotification)
            .Append(", ").Append(listener.Reconnects.ToString(CultureInfo.InvariantCulture)).Append(" reconnect(s)\n")
            .Append("pools:    ").Append(string.Join(", ", pools)).Append('\n');
        foreach (var slot in status.Slots ?? [])
        {
            text.Append("slot:     ").Append(slot.Slot).Append(" on ").Append(slot.Database).Append(", retains ")
                .Append(
                    slot.SlotRetainedBytes is { } bytes ? SlotMonitor.Describe(bytes)
                    : slot.MeasuredAt is null ? "? (not read yet)"
                    : slot.Exists ? $"? (wal_status {slot.WalStatus})"
                    : "nothing (the slot is not created yet)")
                .Append(slot.Warning is { } warning ? $"\n          WARNING: {warning}" : "").Append('\n');
        }

        text
            .Append("version:  ").Append(status.Version);
        return text.ToString();
    }

    /// <summary>0s, 4.2s, 3m07s, 2h05m: the age of the oldest change not yet applied.</summary>
    public static string Lag(double seconds)
    {
        if (seconds < 60)
        {
            return seconds == 0 ? "0s" : seconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
        }

        var lag = TimeSpan.FromSeconds(seconds);
        return lag.TotalHours >= 1
            ? FormattableString.Invariant($"{(int)lag.TotalHours}h{lag.Minutes:00}m")
            : FormattableString.Invariant($"{lag.Minutes}m{lag.Seconds:00}s");
    }

    private static StatusResponse? Parse(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, AdminJsonContext.Default.StatusResponse) is { Syncs: not null } status ? status : null;
        }
        catch (JsonException)
        {
            return null; // not an ActorSync status: reported as an unexpected answer
        }
    }
}
