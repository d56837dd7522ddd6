using System.Diagnostics;
using ActorSync.Apply;
using ActorSync.Configuration;

namespace ActorSync.Telemetry;

/// <summary>
/// ActorSync's spans (issue 21): one per batch (with children for the source read, the target write and the commit), one
/// per snapshot range and one per admin command; Npgsql's command spans nest under them. Nothing listens unless OTLP
/// export is configured (<see cref="ActorSyncTelemetry"/>): then <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null and the instrumented code pays for that check only.
/// </summary>
public static class ActorSyncActivities
{
    public const string SourceName = "ActorSync";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A batch of <paramref name="sync"/>: a root span (an actor's work has no caller to nest under).</summary>
    public static Activity? StartBatch(string sync)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("batch", ActivityKind.Internal, parentContext: default);
        activity?.SetTag("sync", sync);
        return activity;
    }

    /// <summary>An admin command on <paramref name="sync"/>, under the HTTP request's span.</summary>
    public static Activity? StartCommand(string command, string sync)
    {
        var activity = Source.StartActivity("admin " + command);
        activity?.SetTag("sync", sync);
        activity?.SetTag("command", command);
        return activity;
    }

    /// <summary>A step of the current batch or range: <c>source read</c>, <c>target write</c>, <c>commit</c>.</summary>
    public static Activity? StartStep(string name) => Source.StartActivity(name);

    public static void BatchDone(Activity? activity, BatchResult result)
    {
        if (activity is null)
        {
            return;
        }

        if (result.IsEmpty)
        {
            // A look that found nothing to do (a poll) is not a batch: not exported.
            Discard(activity);
            return;
        }

        activity.SetTag("rows", result.DeltaRows);
        if (activity.GetTagItem("bytes") is null)
        {
            activity.SetTag("bytes", 0L); // nothing went through COPY (source and target share a database)
        }

        activity.SetTag("upserted", result.Upserted);
        activity.SetTag("deleted", result.Deleted);
        if (result.DeadLettered > 0)
        {
            activity.SetTag("dead_lettered", result.DeadLettered);
        }
    }

    /// <summary>Keeps a span from being exported: exporters skip an activity that is not marked recorded.</summary>
    public static void Discard(Activity? activity)
    {
        if (activity is not null)
        {
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }

    /// <summary>Records <paramref name="error"/> on the span: status Error with its (masked) message, and an exception event.</summary>
    public static void Failed(Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, SecretMasker.MaskText(error.Message));
        activity.AddException(error);
    }

    /// <summary>
    /// Adds bytes moved by COPY to every ActorSync span from the current one up (the target write and its batch, or a
    /// snapshot range). Npgsql's spans in between are skipped.
    /// </summary>
    public static void AddBytes(long bytes)
    {
        for (var activity = Activity.Current; activity is not null; activity = activity.Parent)
        {
            if (ReferenceEquals(activity.Source, Source))
            {
                activity.SetTag("bytes", (activity.GetTagItem("bytes") as long? ?? 0) + bytes);
            }
        }
    }
}
