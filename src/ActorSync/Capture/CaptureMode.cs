namespace ActorSync.Capture;

/// <summary>
/// How a sync's changes are captured on its source. <see cref="Row"/>, <see cref="Statement"/> and <see cref="Auto"/> are
/// trigger capture (see db/capture/row.sql and statement.sql), set per sync; <see cref="Wal"/> reads the write-ahead
/// log through a publication and a replication slot, set per source database (<c>databases.NAME.capture-mode = wal</c>).
/// </summary>
public enum CaptureMode
{
    /// <summary>A row-level trigger for every change: cheapest for single-row OLTP statements.</summary>
    Row,

    /// <summary>Statement-level triggers with transition tables for every change: cheapest for bulk statements.</summary>
    Statement,

    /// <summary>Statement-level for INSERT (bulk loads), row-level for UPDATE and DELETE.</summary>
    Auto,

    /// <summary>Logical decoding (pgoutput) of the source database's WAL: no trigger, no delta table on the source.</summary>
    Wal,
}
