using System.Globalization;
using ActorSync.Capture;
using ActorSync.Hocon;
using Microsoft.Extensions.Configuration;

namespace ActorSync.Configuration;

/// <summary>
/// Binds the <c>actorsync</c> section to <see cref="ActorSyncOptions"/>: kebab-case keys, durations in HOCON's format
/// (<c>5s</c>, <c>200 ms</c>; a bare number is milliseconds), booleans as HOCON converts them. Anything it cannot read
/// is a problem at the value's origin, and so is every unknown key (with a "did you mean"). Values it cannot read keep
/// their defaults, so validation can go on and report everything at once.
/// </summary>
internal static class ActorSyncOptionsBinder
{
    public static readonly string[] RootKeys = ["databases", "defaults", "admin", "syncs"];
    public static readonly string[] DatabaseKeys = ["connection-string", "max-connections", "capture-mode", "slot-retention-warning", "wal-backlog-keys", "wal-apply"];
    public static readonly string[] DefaultsKeys =
        ["batch-size", "batch-delay", "poll-interval", "apply-timeout", "snapshot-parallelism", "snapshot-indexes", "on-schema-change", "capture-mode",
        "on-apply-error", "backoff"];
    public static readonly string[] BackoffKeys = ["min", "max", "random-factor"];
    public static readonly string[] AdminKeys = ["url", "token", "enabled"];
    public static readonly string[] SyncKeys =
    [
        "name", "source", "target", "columns", "key", "where", "create-target", "enabled",
        "batch-size", "batch-delay", "poll-interval", "apply-timeout", "snapshot-parallelism", "snapshot-indexes", "on-schema-change",
        "capture-mode", "on-apply-error", "group", "replica-identity",
    ];

    public static ActorSyncOptions Bind(ConfigurationContext context)
    {
        var options = new ActorSyncOptions();
        var section = context.Configuration.GetSection(ConfigurationContext.Section);
        if (!section.GetChildren().Any())
        {
            context.Add(
                ConfigurationContext.Section,
                section.Value is null
                    ? "the section is missing: expected actorsync { databases { ... }, syncs = [ ... ] } (see config/actorsync.conf)"
                    : "expected an object with databases, defaults, admin and syncs");
            return options;
        }

        var root = new Reader(section, context);
        root.CheckKeys(RootKeys);
        foreach (var database in root.Children("databases", "an object of databases such as databases { main { connection-string = \"...\" } }"))
        {
            options.Databases[database.Section.Key] = BindDatabase(database);
        }

        if (root.Object("defaults") is { } defaults)
        {
            BindDefaults(defaults, options.Defaults);
        }

        if (root.Object("admin") is { } admin)
        {
            admin.CheckKeys(AdminKeys);
            options.Admin.Url = admin.String("url") ?? options.Admin.Url;
            options.Admin.Token = admin.String("token");
            options.Admin.Enabled = admin.Boolean("enabled") ?? options.Admin.Enabled;
        }

        foreach (var sync in root.Children("syncs", "a list of syncs such as syncs = [ { name = orders, source = \"main:public.orders\", target = \"...\" } ]"))
        {
            options.Syncs.Add(BindSync(sync));
        }

        return options;
    }

    private static DatabaseOptions BindDatabase(Reader database)
    {
        var options = new DatabaseOptions();
        database.CheckKeys(DatabaseKeys);
        options.ConnectionString = database.String("connection-string") ?? "";
        options.MaxConnections = database.Int32("max-connections") ?? options.MaxConnections;
        options.CaptureMode = database.DatabaseCapture("capture-mode") ?? options.CaptureMode;
        options.SlotRetentionWarning = database.Size("slot-retention-warning") ?? options.SlotRetentionWarning;
        options.WalBacklogKeys = database.Int32("wal-backlog-keys") ?? options.WalBacklogKeys;
        options.WalApply = database.WalApply("wal-apply") ?? options.WalApply;
        return options;
    }

    private static void BindDefaults(Reader defaults, SyncDefaultsOptions options)
    {
        defaults.CheckKeys(DefaultsKeys);
        options.BatchSize = defaults.Int32("batch-size") ?? options.BatchSize;
        options.BatchDelay = defaults.Duration("batch-delay") ?? options.BatchDelay;
        options.PollInterval = defaults.Duration("poll-interval") ?? options.PollInterval;
        options.ApplyTimeout = defaults.Duration("apply-timeout") ?? options.ApplyTimeout;
        options.SnapshotParallelism = defaults.Int32("snapshot-parallelism") ?? options.SnapshotParallelism;
        options.SnapshotIndexes = defaults.SnapshotIndexes("snapshot-indexes") ?? options.SnapshotIndexes;
        options.OnSchemaChange = defaults.SchemaChange("on-schema-change") ?? options.OnSchemaChange;
        options.CaptureMode = defaults.CaptureMode("capture-mode") ?? options.CaptureMode;
        options.OnApplyError = defaults.ApplyError("on-apply-error") ?? options.OnApplyError;
        if (defaults.Object("backoff") is { } backoff)
        {
            backoff.CheckKeys(BackoffKeys);
            options.Backoff.Min = backoff.Duration("min") ?? options.Backoff.Min;
            options.Backoff.Max = backoff.Duration("max") ?? options.Backoff.Max;
            options.Backoff.RandomFactor = backoff.Double("random-factor") ?? options.Backoff.RandomFactor;
        }
    }

    private static SyncOptions BindSync(Reader sync)
    {
        sync.CheckKeys(SyncKeys);
        return new SyncOptions
        {
            Name = sync.String("name") ?? "",
            Source = sync.String("source") ?? "",
            Target = sync.String("target") ?? "",
            Columns = sync.StringList("columns"),
            Key = sync.StringList("key"),
            Where = sync.String("where"),
            CreateTarget = sync.Boolean("create-target") ?? false,
            Enabled = sync.Boolean("enabled") ?? true,
            BatchSize = sync.Int32("batch-size"),
            BatchDelay = sync.Duration("batch-delay"),
            PollInterval = sync.Duration("poll-interval"),
            ApplyTimeout = sync.Duration("apply-timeout"),
            SnapshotParallelism = sync.Int32("snapshot-parallelism"),
            SnapshotIndexes = sync.SnapshotIndexes("snapshot-indexes"),
            OnSchemaChange = sync.SchemaChange("on-schema-change"),
            CaptureMode = sync.CaptureMode("capture-mode"),
            OnApplyError = sync.ApplyError("on-apply-error"),
            Group = sync.String("group"),
            ReplicaIdentity = sync.ReplicaIdentity("replica-identity"),
        };
    }

    /// <summary>Reads typed values from one section, reporting what it cannot read.</summary>
    private readonly struct Reader(IConfigurationSection section, ConfigurationContext context)
    {
        public IConfigurationSection Section => section;

        public void CheckKeys(string[] known)
        {
            foreach (var child in section.GetChildren())
            {
                if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    var suggestion = ConfigurationContext.DidYouMean(child.Key, known);
                    context.Add(child.Path, $"unknown key{(suggestion.Length > 0 ? suggestion : $"; expected one of {string.Join(", ", known)}")}");
                }
            }
        }

        /// <summary>The entries of an object or list; a scalar in their place is a problem.</summary>
        public IEnumerable<Reader> Children(string key, string expected)
        {
            var child = section.GetSection(key);
            var entries = child.GetChildren().ToList();
            if (entries.Count == 0 && child.Value is not null)
            {
                context.Add(child.Path, $"expected {expected}, found '{child.Value}'");
            }

            var readers = new List<Reader>();
            foreach (var entry in entries)
            {
                // An empty object arrives as a null value without children: main { connection-string = ${?UNSET} } is such an
                // object, and its missing settings are what to report (issue 9), not "expected an object".
                if (entry.Value is not null)
                {
                    context.Add(entry.Path, $"expected an object, found '{entry.Value}'");
                    continue;
                }

                readers.Add(new Reader(entry, context));
            }

            return readers;
        }

        public Reader? Object(string key)
        {
            var child = section.GetSection(key);
            if (child.GetChildren().Any())
            {
                return new Reader(child, context);
            }

            if (child.Value is not null)
            {
                context.Add(child.Path, $"expected an object, found '{child.Value}'");
            }

            return null;
        }

        public string? String(string key)
        {
            var child = section.GetSection(key);
            if (child.GetChildren().Any())
            {
                context.Add(child.Path, "expected a string, found an object or a list");
                return null;
            }

            return child.Value;
        }

        public int? Int32(string key) => Parse(key, "a whole number", text =>
            int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : (int?)null);

        public double? Double(string key) => Parse(key, "a number", text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : (double?)null);

        public bool? Boolean(string key) => Parse(key, "true or false", text => text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => (bool?)null,
        });

        public OnSchemaChange? SchemaChange(string key) => Parse(key, "fail or add-columns", text => text switch
        {
            "fail" => Configuration.OnSchemaChange.Fail,
            "add-columns" => Configuration.OnSchemaChange.AddColumns,
            _ => (OnSchemaChange?)null,
        });

        public OnApplyError? ApplyError(string key) => Parse(key, "retry or dead-letter", text => text switch
        {
            "retry" => OnApplyError.Retry,
            "dead-letter" => OnApplyError.DeadLetter,
            _ => (OnApplyError?)null,
        });

        public SnapshotIndexes? SnapshotIndexes(string key) => Parse(key, "defer or keep", text => text switch
        {
            "defer" => Configuration.SnapshotIndexes.Defer,
            "keep" => Configuration.SnapshotIndexes.Keep,
            _ => (SnapshotIndexes?)null,
        });

        public CaptureMode? CaptureMode(string key)
        {
            if (String(key)?.Trim() == "wal")
            {
                context.Add(
                    section.GetSection(key).Path,
                    "wal is set per source database, for every sync reading from it: databases.NAME.capture-mode = wal; a sync's capture-mode is row, statement or auto");
                return null;
            }

            return Parse(key, "row, statement or auto", text => text switch
            {
                "row" => Capture.CaptureMode.Row,
                "statement" => Capture.CaptureMode.Statement,
                "auto" => Capture.CaptureMode.Auto,
                _ => (CaptureMode?)null,
            });
        }

        public ReplicaIdentity? ReplicaIdentity(string key) => Parse(key, "full or index", text => text switch
        {
            "full" => Configuration.ReplicaIdentity.Full,
            "index" => Configuration.ReplicaIdentity.Index,
            _ => (ReplicaIdentity?)null,
        });

        public WalApply? WalApply(string key) => Parse(key, "rows or reread", text => text switch
        {
            "rows" => Configuration.WalApply.Rows,
            "reread" => Configuration.WalApply.Reread,
            _ => (WalApply?)null,
        });

        public DatabaseCaptureMode? DatabaseCapture(string key) => Parse(
            key,
            "trigger or wal (row, statement and auto are set per sync)",
            text => text switch
            {
                "trigger" => DatabaseCaptureMode.Trigger,
                "wal" => DatabaseCaptureMode.Wal,
                _ => (DatabaseCaptureMode?)null,
            });

        public long? Size(string key)
        {
            var text = String(key);
            if (text is null)
            {
                return null;
            }

            if (HoconSize.TryParse(text, out var bytes, out var error))
            {
                return bytes;
            }

            context.Add(section.GetSection(key).Path, error!);
            return null;
        }

        public TimeSpan? Duration(string key)
        {
            var text = String(key);
            if (text is null)
            {
                return null;
            }

            if (HoconDuration.TryParse(text, out var duration, out var error))
            {
                return duration;
            }

            context.Add(section.GetSection(key).Path, error!);
            return null;
        }

        public List<string>? StringList(string key)
        {
            var child = section.GetSection(key);
            if (child.Value is not null)
            {
                context.Add(child.Path, $"expected a list such as [id, name], found '{child.Value}'");
                return null;
            }

            var items = child.GetChildren().ToList();
            if (items.Count == 0)
            {
                // Absent and [] both mean "not restricted": all columns, or the source's primary key.
                return null;
            }

            var list = new List<string>(items.Count);
            foreach (var item in items)
            {
                if (item.Value is null)
                {
                    context.Add(item.Path, "expected a column name, found an object or a list");
                    continue;
                }

                list.Add(item.Value);
            }

            return list;
        }

        private T? Parse<T>(string key, string expected, Func<string, T?> parse)
            where T : struct
        {
            var text = String(key);
            if (text is null)
            {
                return null;
            }

            var value = parse(text.Trim());
            if (value is null)
            {
                context.Add(section.GetSection(key).Path, $"expected {expected}, found '{text}'");
            }

            return value;
        }
    }
}
