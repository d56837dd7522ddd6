using ActorSync.Configuration;
using ActorSync.Sql;
using Npgsql;

namespace ActorSync.Capture;

/// <summary>
/// WAL capture's objects on a source database (<c>databases.NAME.capture-mode = wal</c>): one publication of the synced
/// tables and one logical replication slot (pgoutput), both named by <see cref="WalNames"/>. The publication is made
/// first: pgoutput reads the publication with the catalog as of each decoded change, and a change decoded before the
/// publication existed would fail the stream. The slot comes second, and it must exist before any copy takes its
/// snapshot: from its creation on every committed change is kept for ActorSync. Creating a slot waits for the
/// transactions running at that moment to end, and cannot run in a transaction that wrote anything, so it runs on its
/// own; a slot that cannot be made drops a publication made by the same call: nothing is left half-installed.
/// </summary>
public static class WalInstaller
{
    /// <summary>The second key of the install lock (the first is <see cref="CaptureScript.LockClass"/>, second 0 is trigger capture's).</summary>
    private const int LockKey = 20;

    /// <summary>The statements <c>run</c> executes for a WAL source database (what <c>check --dry-run</c> prints).</summary>
    public static IReadOnlyList<string> Statements(string database, IEnumerable<TableName> tables)
    {
        var list = TableList(tables);
        var publication = Identifier.Quote(WalNames.Publication(database));
        return
        [
            $"-- WAL capture of database '{database}': a publication of the synced tables (altered with SET TABLE when they change),\n" +
            $"-- then one logical replication slot read with pgoutput. No trigger and no delta table on the source.\n" +
            $"CREATE PUBLICATION {publication} FOR TABLE {list};",
            $"SELECT pg_catalog.pg_create_logical_replication_slot({Literal.Quote(WalNames.Slot(database))}, 'pgoutput');",
        ];
    }

    /// <summary>The uninstall statements of WAL capture (slot first: it holds WAL; both only when they exist).</summary>
    public static IReadOnlyList<string> UninstallStatements(string database) =>
    [
        $"SELECT pg_catalog.pg_drop_replication_slot(slot_name) FROM pg_catalog.pg_replication_slots WHERE slot_name = {Literal.Quote(WalNames.Slot(database))};",
        $"DROP PUBLICATION IF EXISTS {Identifier.Quote(WalNames.Publication(database))};",
    ];

    /// <summary>Whether the server decodes its WAL logically (<c>wal_level = logical</c>); the value it has otherwise.</summary>
    public static async Task<(bool Logical, string Level)> WalLevelAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT current_setting('wal_level')", connection);
        var level = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        return (level == "logical", level);
    }

    /// <summary>
    /// What keeps <c>run</c> from starting WAL capture: a WAL source database whose server runs without
    /// <c>wal_level = logical</c>. A database that cannot be reached is not a problem here (the engine retries it).
    /// </summary>
    public static async Task<IReadOnlyList<string>> LevelProblemsAsync(ActorSyncConfiguration configuration, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var databases = configuration.Syncs.Where(s => s.Enabled && s.CaptureMode == CaptureMode.Wal)
            .Select(s => s.Source.Database).Distinct(StringComparer.Ordinal);
        foreach (var database in databases)
        {
            var (connection, _, _) = await Postgres.DatabaseProbe.OpenAsync(database, configuration.Options.Databases[database], cancellationToken);
            if (connection is null)
            {
                continue;
            }

            await using (connection)
            {
                var (logical, level) = await WalLevelAsync(connection, cancellationToken);
                if (!logical)
                {
                    problems.Add(WalLevelProblem(database, level));
                }
            }
        }

        return problems;
    }

    /// <summary>The message <c>run</c> and the replicators give when the server cannot decode its WAL.</summary>
    public static string WalLevelProblem(string database, string level) =>
        $"database '{database}': capture-mode = wal needs wal_level = logical, but the server runs with wal_level = {level}. " +
        "Set wal_level = logical (ALTER SYSTEM SET wal_level = logical, then restart the server), or capture this database with triggers (remove capture-mode = wal).";

    /// <summary>
    /// Makes sure the publication of <paramref name="database"/> contains <paramref name="tables"/> and the slot exists.
    /// With <paramref name="exact"/> the publication is set to exactly those tables (the listener, which knows them all);
    /// without, tables are only added (a replicator, which knows its own). Idempotent; returns what it created or changed.
    /// </summary>
    /// <exception cref="WalCaptureException">The server runs without <c>wal_level = logical</c>.</exception>
    public static async Task<WalInstallResult> EnsureAsync(
        NpgsqlConnection connection, string database, IReadOnlyCollection<TableName> tables, bool exact, CancellationToken cancellationToken)
    {
        var (logical, level) = await WalLevelAsync(connection, cancellationToken);
        if (!logical)
        {
            throw new WalCaptureException(WalLevelProblem(database, level));
        }

        var publication = WalNames.Publication(database);
        var slot = WalNames.Slot(database);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_catalog.pg_advisory_lock($1, $2)", connection))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CaptureScript.LockClass });
            lockCommand.Parameters.Add(new NpgsqlParameter<int> { TypedValue = LockKey });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var (publicationCreated, publicationChanged) = await EnsurePublicationAsync(connection, publication, tables, exact, cancellationToken);
            bool slotCreated;
            try
            {
                slotCreated = await EnsureSlotAsync(connection, slot, cancellationToken);
            }
            catch when (publicationCreated)
            {
                await using var drop = new NpgsqlCommand($"DROP PUBLICATION IF EXISTS {Identifier.Quote(publication)}", connection);
                await drop.ExecuteNonQueryAsync(CancellationToken.None);
                throw;
            }

            return new WalInstallResult(publicationCreated, publicationChanged, slotCreated);
        }
        finally
        {
            if (connection.FullState == System.Data.ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_catalog.pg_advisory_unlock($1, $2)", connection);
                unlock.Parameters.Add(new NpgsqlParameter<int> { TypedValue = CaptureScript.LockClass });
                unlock.Parameters.Add(new NpgsqlParameter<int> { TypedValue = LockKey });
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Drops the slot and the publication of <paramref name="database"/> when they exist; returns whether anything was there.</summary>
    public static async Task<bool> UninstallAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand(
            "SELECT EXISTS (SELECT FROM pg_catalog.pg_replication_slots WHERE slot_name = $1) OR EXISTS (SELECT FROM pg_catalog.pg_publication WHERE pubname = $2)",
            connection);
        exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalNames.Slot(database) });
        exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalNames.Publication(database) });
        var present = (bool)(await exists.ExecuteScalarAsync(cancellationToken))!;
        foreach (var statement in UninstallStatements(database))
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return present;
    }

    /// <summary>Whether the slot of <paramref name="database"/> exists on the connection's server.</summary>
    public static async Task<bool> SlotExistsAsync(NpgsqlConnection connection, string database, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_catalog.pg_replication_slots WHERE slot_name = $1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = WalNames.Slot(database) });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<(bool Created, bool Changed)> EnsurePublicationAsync(
        NpgsqlConnection connection, string publication, IReadOnlyCollection<TableName> tables, bool exact, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var members = new HashSet<(string Schema, string Table)>();
        bool exists;
        await using (var command = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_catalog.pg_publication WHERE pubname = $1)", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = publication });
            exists = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        if (exists)
        {
            await using var command = new NpgsqlCommand(
                "SELECT n.nspname, c.relname FROM pg_catalog.pg_publication p JOIN pg_catalog.pg_publication_rel r ON r.prpubid = p.oid " +
                "JOIN pg_catalog.pg_class c ON c.oid = r.prrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE p.pubname = $1",
                connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = publication });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                members.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var wanted = tables.Select(t => (t.Schema, t.Table)).ToHashSet();
        string? statement = null;
        if (!exists)
        {
            statement = $"CREATE PUBLICATION {Identifier.Quote(publication)} FOR TABLE {TableList(tables)}";
        }
        else if (exact ? !members.SetEquals(wanted) : !wanted.IsSubsetOf(members))
        {
            var set = exact ? tables : tables.Concat(members.Except(wanted).Select(m => new TableName("", m.Schema, m.Table)));
            statement = $"ALTER PUBLICATION {Identifier.Quote(publication)} SET TABLE {TableList(set)}";
        }

        if (statement is null)
        {
            return (false, false);
        }

        await using (var command = new NpgsqlCommand(statement, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (!exists, exists);
    }

    private static async Task<bool> EnsureSlotAsync(NpgsqlConnection connection, string slot, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_catalog.pg_replication_slots WHERE slot_name = $1)", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = slot });
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }

        // Waits for the transactions running now to end (the slot's consistent point); no statement timeout applies here.
        await using var create = new NpgsqlCommand("SELECT pg_catalog.pg_create_logical_replication_slot($1, 'pgoutput')", connection) { CommandTimeout = 0 };
        create.Parameters.Add(new NpgsqlParameter<string> { TypedValue = slot });
        await create.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    private static string TableList(IEnumerable<TableName> tables) =>
        string.Join(", ", tables.Select(t => Identifier.Quote(t.Schema, t.Table)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}

/// <summary>What <see cref="WalInstaller.EnsureAsync"/> did.</summary>
public sealed record WalInstallResult(bool PublicationCreated, bool PublicationChanged, bool SlotCreated);

/// <summary>WAL capture cannot work on this server as configured (bad input: <c>run</c> exits 2).</summary>
public sealed class WalCaptureException(string message) : Exception(message);
