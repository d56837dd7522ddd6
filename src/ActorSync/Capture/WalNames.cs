namespace ActorSync.Capture;

/// <summary>
/// The names of what WAL capture (<c>databases.NAME.capture-mode = wal</c>) creates on a source database: one
/// publication of the synced tables and one logical replication slot, both <c>actorsync_&lt;name&gt;</c> where
/// &lt;name&gt; is the configured database name in lower case with '-' as '_' (slot names allow only lower-case
/// letters, digits and '_', at most 63 characters). Validation refuses database names that would collide or be too long.
/// </summary>
public static class WalNames
{
    /// <summary>The longest slot name PostgreSQL accepts (NAMEDATALEN - 1).</summary>
    public const int MaxLength = 63;

    private const string Prefix = "actorsync_";

    /// <summary>The longest configured database name whose slot name still fits.</summary>
    public const int MaxDatabaseNameLength = MaxLength - 10;

    /// <summary>The replication slot of a configured source database.</summary>
    public static string Slot(string database) => Prefix + Normalize(database);

    /// <summary>The publication of a configured source database.</summary>
    public static string Publication(string database) => Prefix + Normalize(database);

    private static string Normalize(string database) => database.ToLowerInvariant().Replace('-', '_');
}
