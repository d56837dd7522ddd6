using System.Diagnostics;

namespace ActorSync.Telemetry;

/// <summary>
/// ActorSync's spans (issue 21): one per batch, per snapshot range and per admin command. Nothing listens unless OTLP
/// export is configured (<see cref="ActorSyncTelemetry"/>), and then <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null: the instrumented code only pays for that check.
/// </summary>
public static class ActorSyncActivities
{
    public const string SourceName = "ActorSync";

    public static readonly ActivitySource Source = new(SourceName);
}
