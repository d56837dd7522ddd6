namespace ActorSync.Capture;

/// <summary>How the source table's triggers record changed keys (see db/capture/row.sql and statement.sql).</summary>
public enum CaptureMode
{
    /// <summary>A row-level trigger for every change: cheapest for single-row OLTP statements.</summary>
    Row,

    /// <summary>Statement-level triggers with transition tables for every change: cheapest for bulk statements.</summary>
    Statement,

    /// <summary>Statement-level for INSERT (bulk loads), row-level for UPDATE and DELETE.</summary>
    Auto,
}
