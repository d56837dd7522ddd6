using ActorSync.Actors;
using ActorSync.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorSync.Admin;

/// <summary>
/// <c>GET /health/ready</c> (issue 7): ready when every source database's listener is connected and every sync is past
/// <c>starting</c>, as the actors answer. A <c>failing</c> sync is past starting: it leaves the service ready but
/// degraded, with the sync and its error among the reasons (still 200; <c>actorsync status</c> exits 1 for it).
/// </summary>
public sealed class ReadinessHealthCheck(AdminEngine engine) : IHealthCheck
{
    public const string Tag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        EngineStatus status;
        try
        {
            (_, status) = await engine.GetStatusAsync(cancellationToken);
        }
        catch (EngineUnavailableException unavailable)
        {
            return Result(HealthStatus.Unhealthy, [unavailable.Message]);
        }

        var notReady = new List<string>();
        foreach (var database in engine.SourceDatabases)
        {
            var listener = status.Listeners.FirstOrDefault(l => l.Database == database);
            if (listener is null)
            {
                notReady.Add($"the listener on database '{database}' did not answer");
            }
            else if (!listener.Connected)
            {
                // The listener's error already names its database (ListenerConnectionException): said once is enough.
                var error = listener.LastError?.Replace($"Listener on database '{database}': ", "", StringComparison.Ordinal);
                notReady.Add($"the listener on database '{database}' is not connected" + (error is null ? "" : $": {SecretMasker.MaskText(error)}"));
            }
        }

        var degraded = new List<string>();
        var notes = new List<string>();
        foreach (var name in engine.SyncNames)
        {
            var sync = status.Syncs.FirstOrDefault(s => s.Name == name);
            if (sync is null)
            {
                notReady.Add($"sync '{name}' did not answer");
            }
            else if (sync.State == SyncStates.Starting)
            {
                notReady.Add($"sync '{name}' is starting");
            }
            else if (sync.State == SyncStates.Failing)
            {
                degraded.Add($"sync '{name}' is failing" + (sync.LastError is { } error ? $": {SecretMasker.MaskText(error.Message)}" : ""));
            }

            if (sync is { DeadLetters: > 0 })
            {
                // Said, but not counted against readiness (issue #19): the sync applies everything else.
                notes.Add($"sync '{name}' has {sync.DeadLetters} dead letter(s): see `actorsync dead-letters list {name}`");
            }
        }

        foreach (var slot in status.Slots)
        {
            if (slot.Warning is { } warning)
            {
                // Said, but not counted against readiness (issue #20): the slot retains WAL, the syncs still run.
                notes.Add(warning);
            }
        }

        return notReady.Count > 0 ? Result(HealthStatus.Unhealthy, [.. notReady, .. degraded, .. notes])
            : degraded.Count > 0 ? Result(HealthStatus.Degraded, [.. degraded, .. notes])
            : Result(HealthStatus.Healthy, notes);
    }

    private static HealthCheckResult Result(HealthStatus status, IReadOnlyList<string> reasons) =>
        new(status, reasons.Count == 0 ? "ready" : string.Join("; ", reasons), data: new Dictionary<string, object> { ["reasons"] = reasons });
}
