using System.Text.RegularExpressions;
using ActorSync.Capture;
using ActorSync.Hocon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ActorSync.Configuration;

/// <summary>
/// Checks bound <see cref="ActorSyncOptions"/> statically (no database is contacted) and reports every problem with the
/// HOCON origin of the value at fault. The same checks run for <see cref="ActorSyncConfiguration.Load"/> and, as an
/// <see cref="IValidateOptions{TOptions}"/>, in the options pipeline, where binding problems (unknown keys,
/// unreadable values) are reported too.
/// </summary>
public sealed partial class ActorSyncOptionsValidator(IConfiguration configuration) : IValidateOptions<ActorSyncOptions>
{
    /// <summary>Sync names become part of SQL object names (the delta table <c>actorsync.delta_&lt;name&gt;</c>, its triggers).</summary>
    public const int MaxSyncNameLength = 40;

    public ValidateOptionsResult Validate(string? name, ActorSyncOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var context = new ConfigurationContext(configuration, "configuration");
        ActorSyncOptionsBinder.Bind(context);
        Check(options, context);
        return context.Problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(ConfigurationProblem.InFileOrder(context.Problems).Select(p => p.ToString()));
    }

    internal static void Check(ActorSyncOptions options, ConfigurationContext context)
    {
        const string Root = ConfigurationContext.Section;
        var slots = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, database) in options.Databases)
        {
            CheckDatabase($"{Root}:databases:{name}", name, database, context);
            if (database.CaptureMode == DatabaseCaptureMode.Wal)
            {
                CheckWalDatabase($"{Root}:databases:{name}", name, slots, context);
            }
            else
            {
                foreach (var walOnly in new[] { "wal-backlog-keys", "wal-apply" })
                {
                    if (context.Configuration.GetSection($"{Root}:databases:{name}:{walOnly}").Value is not null)
                    {
                        context.Add(
                            $"{Root}:databases:{name}:{walOnly}",
                            $"{walOnly} is a setting of WAL capture, but database '{name}' captures with triggers: remove it, or set databases.{name}.capture-mode = wal");
                    }
                }
            }
        }

        var defaults = $"{Root}:defaults";
        CheckPositive(context, $"{defaults}:batch-size", options.Defaults.BatchSize);
        CheckNotNegative(context, $"{defaults}:batch-delay", options.Defaults.BatchDelay);
        CheckPositive(context, $"{defaults}:poll-interval", options.Defaults.PollInterval);
        CheckPositive(context, $"{defaults}:apply-timeout", options.Defaults.ApplyTimeout);
        CheckPositive(context, $"{defaults}:snapshot-parallelism", options.Defaults.SnapshotParallelism);
        CheckBackoff($"{defaults}:backoff", options.Defaults.Backoff, context);
        CheckAdmin($"{Root}:admin", options.Admin, context);

        var syncKeys = context.Configuration.GetSection($"{Root}:syncs").GetChildren().Select(c => c.Path).ToList();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var targets = new Dictionary<TableName, int>();
        for (var i = 0; i < options.Syncs.Count; i++)
        {
            var key = i < syncKeys.Count ? syncKeys[i] : $"{Root}:syncs:{i}";
            CheckSync(key, options.Syncs[i], options, context, out var target);
            var syncName = options.Syncs[i].Name;
            if (syncName.Length > 0 && !names.TryAdd(syncName, i))
            {
                context.Add($"{key}:name", $"the name '{syncName}' is already used by syncs[{names[syncName]}] (names are compared ignoring case)");
            }

            if (target is not null && !targets.TryAdd(target, i))
            {
                var other = targets[target];
                context.Add(
                    $"{key}:target",
                    $"{target} is already the target of sync '{options.Syncs[other].Name}' (syncs[{other}]); two syncs cannot write one table");
            }
        }

        CheckGroups(options, syncKeys, context);
    }

    private static void CheckDatabase(string key, string name, DatabaseOptions database, ConfigurationContext context)
    {
        if (!DatabaseName().IsMatch(name))
        {
            context.Add(key, $"the database name '{name}' must hold only letters, digits, '-' and '_' (syncs refer to it as {name}:schema.table)");
        }

        if (string.IsNullOrWhiteSpace(database.ConnectionString))
        {
            context.Add(
                $"{key}:connection-string",
                "is required: an Npgsql connection string such as \"Host=db;Database=app;Username=sync\" (if it comes from ${?VARIABLE}, that variable is not set)");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(database.ConnectionString);
            }
            catch (ArgumentException exception)
            {
                // Npgsql's messages name keywords and sometimes values: mask them so no password leaks.
                context.Add($"{key}:connection-string", $"is not a valid Npgsql connection string: {SecretMasker.MaskText(Redact(exception.Message, database.ConnectionString))}");
            }
        }

        CheckPositive(context, $"{key}:max-connections", database.MaxConnections);
        CheckPositive(context, $"{key}:wal-backlog-keys", database.WalBacklogKeys);
    }

    private static void CheckWalDatabase(string key, string name, Dictionary<string, string> slots, ConfigurationContext context)
    {
        if (name.Length > WalNames.MaxDatabaseNameLength)
        {
            context.Add(
                $"{key}:capture-mode",
                $"the database name '{name}' is too long for WAL capture: its replication slot is named {WalNames.Slot(name)[..20]}... and slot names hold at most {WalNames.MaxLength} characters; use a name of at most {WalNames.MaxDatabaseNameLength}");
            return;
        }

        var slot = WalNames.Slot(name);
        if (!slots.TryAdd(slot, name))
        {
            context.Add(
                $"{key}:capture-mode",
                $"databases '{slots[slot]}' and '{name}' would both use the replication slot and publication {slot} (names are lowered and '-' becomes '_'): rename one");
        }
    }

    private static void CheckBackoff(string key, BackoffSettings backoff, ConfigurationContext context)
    {
        CheckPositive(context, $"{key}:min", backoff.Min);
        CheckPositive(context, $"{key}:max", backoff.Max);
        if (backoff.Min > backoff.Max)
        {
            context.Add($"{key}:min", $"min ({ConfigurationContext.Format(backoff.Min)}) must not be greater than max ({ConfigurationContext.Format(backoff.Max)})");
        }

        if (backoff.RandomFactor is < 0 or > 1 || double.IsNaN(backoff.RandomFactor))
        {
            context.Add($"{key}:random-factor", $"must be between 0 and 1 (0.2 adds up to 20 % to each delay), found {backoff.RandomFactor}");
        }
    }

    private static void CheckAdmin(string key, AdminOptions admin, ConfigurationContext context)
    {
        if (admin.Token is { } token && string.IsNullOrWhiteSpace(token))
        {
            context.Add($"{key}:token", "must not be empty; leave it out to run without a token");
        }

        if (!admin.Enabled)
        {
            return;
        }

        // Kestrel accepts '*' and '+' as "any address"; Uri does not, so check those with a stand-in host.
        var candidate = admin.Url.Replace("://*", "://any", StringComparison.Ordinal).Replace("://+", "://any", StringComparison.Ordinal);
        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0 ||
            url.AbsolutePath != "/" || url.Query.Length > 0 || url.UserInfo.Length > 0)
        {
            context.Add($"{key}:url", $"expected an http:// or https:// address without a path, such as \"http://127.0.0.1:8080\", found '{SecretMasker.MaskText(admin.Url)}'");
        }
    }

    private static void CheckSync(string key, SyncOptions sync, ActorSyncOptions options, ConfigurationContext context, out TableName? target)
    {
        target = null;
        if (string.IsNullOrWhiteSpace(sync.Name))
        {
            context.Add($"{key}:name", "is required: a name such as orders");
        }
        else if (!SyncName().IsMatch(sync.Name))
        {
            context.Add(
                $"{key}:name",
                $"'{sync.Name}' cannot be used in SQL object names: use 1 to {MaxSyncNameLength} letters, digits and '_' (it names the delta table actorsync.delta_<name>, in lower case)");
        }

        var source = CheckTable($"{key}:source", sync.Source, options, context);
        target = CheckTable($"{key}:target", sync.Target, options, context);
        if (source is not null && sync.CaptureMode is { } mode
            && options.Databases.TryGetValue(source.Database, out var sourceDatabase) && sourceDatabase.CaptureMode == DatabaseCaptureMode.Wal)
        {
            context.Add(
                $"{key}:capture-mode",
                $"sync '{sync.Name}' sets capture-mode = {mode.ToString().ToLowerInvariant()}, but its source database '{source.Database}' captures from the WAL (databases.{source.Database}.capture-mode = wal): remove the sync's capture-mode, or capture that database with triggers");
        }

        if (source is not null && sync.ReplicaIdentity is { } identity
            && (!options.Databases.TryGetValue(source.Database, out var walDatabase) || walDatabase.CaptureMode != DatabaseCaptureMode.Wal))
        {
            context.Add(
                $"{key}:replica-identity",
                $"sync '{sync.Name}' sets replica-identity = {identity.ToString().ToLowerInvariant()}, which only WAL capture uses, but its source database '{source.Database}' captures with triggers: remove it, or set databases.{source.Database}.capture-mode = wal");
        }

        if (source is not null && source == target)
        {
            context.Add($"{key}:target", $"the target is the source table itself ({source})");
        }

        CheckColumns($"{key}:columns", sync.Columns, context);
        CheckColumns($"{key}:key", sync.Key, context);
        if (sync.Where is { } where && string.IsNullOrWhiteSpace(where))
        {
            context.Add($"{key}:where", "must not be empty; leave it out to copy every row");
        }

        CheckPositive(context, $"{key}:batch-size", sync.BatchSize);
        CheckNotNegative(context, $"{key}:batch-delay", sync.BatchDelay);
        CheckPositive(context, $"{key}:poll-interval", sync.PollInterval);
        CheckPositive(context, $"{key}:apply-timeout", sync.ApplyTimeout);
        CheckPositive(context, $"{key}:snapshot-parallelism", sync.SnapshotParallelism);
    }

    private static TableName? CheckTable(string key, string text, ActorSyncOptions options, ConfigurationContext context)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            context.Add(key, "is required: \"database:schema.table\", such as \"main:public.orders\"");
            return null;
        }

        if (!TableName.TryParse(text, out var table, out var error))
        {
            context.Add(key, error!);
            return null;
        }

        if (!options.Databases.ContainsKey(table!.Database))
        {
            var known = options.Databases.Keys.ToList();
            context.Add(
                key,
                known.Count == 0
                    ? $"unknown database '{table.Database}': no databases are configured under actorsync.databases"
                    : $"unknown database '{table.Database}'{ConfigurationContext.DidYouMean(table.Database, known)}; configured: {string.Join(", ", known)}");
        }

        return table;
    }

    private static void CheckColumns(string key, List<string>? columns, ConfigurationContext context)
    {
        if (columns is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            if (!TableName.TryParseIdentifier(columns[i], out var column, out var error))
            {
                context.Add($"{key}:{i}", $"'{columns[i]}' is not a column name: {error}");
            }
            else if (!seen.Add(column!))
            {
                context.Add($"{key}:{i}", $"the column {TableName.Display(column!)} is listed twice");
            }
        }
    }

    private static void CheckPositive(ConfigurationContext context, string key, int? value)
    {
        if (value <= 0)
        {
            context.Add(key, $"must be greater than 0, found {value}");
        }
    }

    private static void CheckPositive(ConfigurationContext context, string key, TimeSpan? value)
    {
        if (value <= TimeSpan.Zero)
        {
            context.Add(key, $"must be a positive duration, found {ConfigurationContext.Format(value.Value)}");
        }
    }

    private static void CheckNotNegative(ConfigurationContext context, string key, TimeSpan? value)
    {
        if (value < TimeSpan.Zero)
        {
            context.Add(key, $"must be 0 or a positive duration, found {ConfigurationContext.Format(value.Value)}");
        }
    }

    private static string Redact(string message, string connectionString)
    {
        foreach (var part in connectionString.Split(';'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && SecretMasker.IsSecretKey(part[..equals].Trim()) && part[(equals + 1)..].Trim() is { Length: > 0 } secret)
            {
                message = message.Replace(secret, SecretMasker.Mask, StringComparison.Ordinal);
            }
        }

        return message;
    }

    /// <summary>
    /// <c>group</c> (issue #19): a name of letters, digits, '-' and '_'; the syncs of a group must share their source
    /// database and their target database, since a group batch reads one source snapshot and writes one target transaction.
    /// </summary>
    private static void CheckGroups(ActorSyncOptions options, List<string> syncKeys, ConfigurationContext context)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Syncs.Count; i++)
        {
            var sync = options.Syncs[i];
            if (sync.Group is not { } group)
            {
                continue;
            }

            var key = (i < syncKeys.Count ? syncKeys[i] : $"{ConfigurationContext.Section}:syncs:{i}") + ":group";
            if (!DatabaseName().IsMatch(group.Trim()))
            {
                context.Add(key, $"sync '{sync.Name}': the group name '{group}' must hold only letters, digits, '-' and '_'");
                continue;
            }

            if (!first.TryGetValue(group.Trim(), out var leader))
            {
                first[group.Trim()] = i;
                continue;
            }

            var other = options.Syncs[leader];
            if (!TableName.TryParse(sync.Source, out var source, out _) || !TableName.TryParse(sync.Target, out var target, out _) ||
                !TableName.TryParse(other.Source, out var otherSource, out _) || !TableName.TryParse(other.Target, out var otherTarget, out _))
            {
                continue; // the table names are reported already
            }

            if (source!.Database != otherSource!.Database || target!.Database != otherTarget!.Database)
            {
                context.Add(
                    key,
                    $"sync '{sync.Name}' reads database '{source.Database}' and writes database '{target!.Database}', but sync '{other.Name}' " +
                    $"of group '{group.Trim()}' reads '{otherSource.Database}' and writes '{otherTarget!.Database}': the syncs of a group must share " +
                    "their source database and their target database (one source snapshot, one target transaction)");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,40}$")]
    private static partial Regex SyncName();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex DatabaseName();
}
