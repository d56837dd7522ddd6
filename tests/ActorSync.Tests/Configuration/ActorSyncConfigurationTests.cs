using ActorSync.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorSync.Tests.Configuration;

public sealed class ActorSyncConfigurationTests : IDisposable
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];
    private readonly ConfigurationFiles _files = new();

    public void Dispose() => _files.Dispose();

    private ActorSyncConfiguration Load(string text, IReadOnlyDictionary<string, string?>? environment = null) =>
        ActorSyncConfiguration.Load(_files.Write(text), environment ?? NoEnvironment);

    private IReadOnlyList<string> Problems(string text) =>
        Assert.Throws<InvalidConfigurationException>(() => Load(text)).Problems.Select(p => p.ToString()).ToList();

    private string Origin(int line, int column) => $"{Path.Combine(_files.Folder, "actorsync.conf")}:{line}:{column}";

    [Fact]
    public void The_design_example_binds_with_kebab_case_keys_and_hocon_durations()
    {
        var configuration = Load(ConfigurationFiles.Valid);
        var options = configuration.Options;
        Assert.Equal(["main", "replica"], options.Databases.Keys);
        Assert.Equal(8, options.Databases["replica"].MaxConnections);
        Assert.Equal(10, options.Databases["main"].MaxConnections);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.Defaults.Backoff.Min);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Defaults.Backoff.Max);
        Assert.Null(options.Admin.Token);
        var customers = configuration.Syncs[1];
        Assert.Equal(new TableName("replica", "public", "customers"), customers.Target);
        Assert.Equal(["id", "name", "email"], customers.Columns!);
        Assert.True(customers.CreateTarget);
        Assert.Equal(TimeSpan.FromMinutes(1), customers.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), configuration.Syncs[0].PollInterval);
        Assert.Equal(5000, configuration.Syncs[0].BatchSize);
    }

    [Fact]
    public void Capture_mode_defaults_to_row_and_is_set_per_sync_or_in_defaults()
    {
        var configuration = Load("""
            actorsync {
              databases { main { connection-string = "Host=x" } }
              defaults { capture-mode = auto }
              syncs = [
                { name = a, source = "main:public.a", target = "main:public.a2" }
                { name = b, source = "main:public.b", target = "main:public.b2", capture-mode = statement }
              ]
            }
            """);

        Assert.Equal(ActorSync.Capture.CaptureMode.Auto, configuration.Syncs[0].CaptureMode);
        Assert.Equal(ActorSync.Capture.CaptureMode.Statement, configuration.Syncs[1].CaptureMode);
        Assert.Equal(ActorSync.Capture.CaptureMode.Row, new SyncDefaultsOptions().CaptureMode);
    }

    [Fact]
    public void Wal_capture_is_set_per_source_database_with_a_retention_warning_size()
    {
        var configuration = Load("""
            actorsync {
              databases {
                main { connection-string = "Host=x", capture-mode = wal, slot-retention-warning = 512MB }
                other { connection-string = "Host=y" }
              }
              defaults { capture-mode = statement }
              syncs = [
                { name = a, source = "main:public.a", target = "other:public.a" }
                { name = b, source = "other:public.b", target = "main:public.b" }
              ]
            }
            """);

        Assert.Equal(DatabaseCaptureMode.Wal, configuration.Options.Databases["main"].CaptureMode);
        Assert.Equal(512_000_000, configuration.Options.Databases["main"].SlotRetentionWarning);
        Assert.Equal(DatabaseCaptureMode.Trigger, configuration.Options.Databases["other"].CaptureMode);
        Assert.Equal(1_000_000_000, configuration.Options.Databases["other"].SlotRetentionWarning);
        Assert.Equal(ActorSync.Capture.CaptureMode.Wal, configuration.Syncs[0].CaptureMode);
        Assert.Equal(ActorSync.Capture.CaptureMode.Statement, configuration.Syncs[1].CaptureMode);
        Assert.Equal("actorsync_main", ActorSync.Capture.WalNames.Slot("main"));
        Assert.Equal("actorsync_my_db", ActorSync.Capture.WalNames.Publication("My-DB"));
    }

    [Fact]
    public void Wal_capture_settings_that_cannot_work_are_refused_where_they_are_written()
    {
        var problems = Problems("""
            actorsync {
              databases {
                main { connection-string = "Host=x", capture-mode = wal, slot-retention-warning = lots }
                main-2 { connection-string = "Host=y", capture-mode = wal }
                main_2 { connection-string = "Host=y", capture-mode = wal }
                x { connection-string = "Host=z", capture-mode = logical }
              }
              syncs = [
                { name = a, source = "main:public.a", target = "x:public.a", capture-mode = row }
                { name = c, source = "main_2:public.c", target = "x:public.c" }
                { name = b, source = "x:public.b", target = "main:public.b", capture-mode = wal }
              ]
            }
            """);

        Assert.Contains(problems, p => p.StartsWith(Origin(3, 87), StringComparison.Ordinal) && p.Contains("expected a size in bytes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Origin(5, 59), StringComparison.Ordinal) && p.Contains("databases 'main-2' and 'main_2' would both use the replication slot and publication actorsync_main_2", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Origin(6, 54), StringComparison.Ordinal) && p.Contains("expected trigger or wal (row, statement and auto are set per sync), found 'logical'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Origin(9, 81), StringComparison.Ordinal) && p.Contains("sync 'a' sets capture-mode = row, but its source database 'main' captures from the WAL", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Origin(11, 81), StringComparison.Ordinal) && p.Contains("wal is set per source database", StringComparison.Ordinal));
        Assert.Equal(5, problems.Count);
    }

    [Fact]
    public void Wal_backlog_keys_defaults_to_200000_and_is_set_per_wal_source_database()
    {
        var configuration = Load("""
            actorsync {
              databases {
                main { connection-string = "Host=x", capture-mode = wal, wal-backlog-keys = 1000 }
                side { connection-string = "Host=y", capture-mode = wal }
                other { connection-string = "Host=z" }
              }
              syncs = [
                { name = a, source = "main:public.a", target = "other:public.a" }
                { name = b, source = "side:public.b", target = "other:public.b" }
              ]
            }
            """);

        Assert.Equal(1000, configuration.Options.Databases["main"].WalBacklogKeys);
        Assert.Equal(200_000, configuration.Options.Databases["side"].WalBacklogKeys);
        Assert.Equal(200_000, configuration.Options.Databases["other"].WalBacklogKeys);
        Assert.Equal(200_000, ActorSync.Listening.WalBacklog.DefaultMaxKeys);
    }

    [Fact]
    public void Wal_backlog_keys_must_be_a_positive_whole_number_on_a_wal_source_database()
    {
        var problems = Problems("""
            actorsync {
              databases {
                main { connection-string = "Host=x", capture-mode = wal, wal-backlog-keys = 0 }
                side { connection-string = "Host=y", capture-mode = wal, wal-backlog-keys = lots }
                other { connection-string = "Host=z", wal-backlog-keys = 1000 }
                last { connection-string = "Host=z", capture-mode = wal, wal-backlog-keys = -5 }
              }
              syncs = [
                { name = a, source = "main:public.a", target = "other:public.a" }
                { name = b, source = "side:public.b", target = "other:public.b" }
                { name = c, source = "last:public.c", target = "other:public.c" }
              ]
            }
            """);

        Assert.Contains(problems, p => p.StartsWith(Origin(3, 81), StringComparison.Ordinal) && p.Contains("wal-backlog-keys: must be greater than 0, found 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Origin(4, 81), StringComparison.Ordinal) && p.Contains("expected a whole number, found 'lots'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Origin(5, 62), StringComparison.Ordinal) && p.Contains(
            "wal-backlog-keys is a setting of WAL capture, but database 'other' captures with triggers: remove it, or set databases.other.capture-mode = wal",
            StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Origin(6, 81), StringComparison.Ordinal) && p.Contains("must be greater than 0, found -5", StringComparison.Ordinal));
        Assert.Equal(4, problems.Count);
    }

    [Fact]
    public void Wal_apply_is_rows_by_default_reread_on_request_and_refused_on_a_trigger_database_or_with_another_value()
    {
        var configuration = Load("""
            actorsync {
              databases {
                main { connection-string = "Host=x", capture-mode = wal, wal-apply = reread }
                side { connection-string = "Host=y", capture-mode = wal }
                other { connection-string = "Host=z" }
              }
              syncs = [
                { name = a, source = "main:public.a", target = "other:public.a" }
                { name = b, source = "side:public.b", target = "other:public.b" }
              ]
            }
            """);
        Assert.Equal(WalApply.Reread, configuration.Options.Databases["main"].WalApply);
        Assert.Equal(WalApply.Rows, configuration.Options.Databases["side"].WalApply);
        Assert.False(configuration.Syncs[0].AppliesDecodedRows);
        Assert.True(configuration.Syncs[1].AppliesDecodedRows);

        var problems = Problems("""
            actorsync {
              databases {
                main { connection-string = "Host=x", capture-mode = wal, wal-apply = tuples }
                other { connection-string = "Host=z", wal-apply = rows }
              }
              syncs = [
                { name = a, source = "main:public.a", target = "other:public.a" }
              ]
            }
            """);
        Assert.Contains(problems, p => p.StartsWith(Origin(3, 74), StringComparison.Ordinal) && p.Contains("expected rows or reread, found 'tuples'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Origin(4, 55), StringComparison.Ordinal) && p.Contains(
            "wal-apply is a setting of WAL capture, but database 'other' captures with triggers", StringComparison.Ordinal));
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void Replica_identity_is_an_opt_in_per_sync_of_a_wal_source_only()
    {
        var configuration = Load("""
            actorsync {
              databases {
                main { connection-string = "Host=x", capture-mode = wal }
                other { connection-string = "Host=y" }
              }
              syncs = [
                { name = a, source = "main:public.a", target = "other:public.a", key = [k], replica-identity = full }
                { name = b, source = "main:public.b", target = "other:public.b", key = [k], replica-identity = index }
                { name = c, source = "main:public.c", target = "other:public.c" }
              ]
            }
            """);
        var problems = Problems("""
            actorsync {
              databases {
                main { connection-string = "Host=x", capture-mode = wal }
                other { connection-string = "Host=y" }
              }
              syncs = [
                { name = a, source = "other:public.a", target = "main:public.a", replica-identity = full }
                { name = b, source = "main:public.b", target = "other:public.b", replica-identity = default }
              ]
            }
            """);

        Assert.Equal(ReplicaIdentity.Full, configuration.Syncs[0].ReplicaIdentity);
        Assert.Equal(ReplicaIdentity.Index, configuration.Syncs[1].ReplicaIdentity);
        Assert.Null(configuration.Syncs[2].ReplicaIdentity);
        Assert.Contains(problems, p => p.StartsWith(Origin(7, 89), StringComparison.Ordinal) && p.Contains("sync 'a' sets replica-identity = full, which only WAL capture uses, but its source database 'other' captures with triggers", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith(Origin(8, 89), StringComparison.Ordinal) && p.Contains("expected full or index, found 'default'", StringComparison.Ordinal));
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void Snapshot_indexes_defaults_to_defer_and_is_set_per_sync_or_in_defaults()
    {
        var configuration = Load("""
            actorsync {
              databases { main { connection-string = "Host=x" } }
              defaults { snapshot-indexes = keep }
              syncs = [
                { name = a, source = "main:public.a", target = "main:public.a2" }
                { name = b, source = "main:public.b", target = "main:public.b2", snapshot-indexes = defer }
              ]
            }
            """);

        Assert.Equal(SnapshotIndexes.Keep, configuration.Syncs[0].SnapshotIndexes);
        Assert.Equal(SnapshotIndexes.Defer, configuration.Syncs[1].SnapshotIndexes);
        Assert.Equal(SnapshotIndexes.Defer, new SyncDefaultsOptions().SnapshotIndexes);
    }

    [Fact]
    public void On_apply_error_defaults_to_retry_and_is_set_per_sync_or_in_defaults()
    {
        var configuration = Load("""
            actorsync {
              databases { main { connection-string = "Host=x" } }
              defaults { on-apply-error = dead-letter }
              syncs = [
                { name = a, source = "main:public.a", target = "main:public.a2" }
                { name = b, source = "main:public.b", target = "main:public.b2", on-apply-error = retry }
              ]
            }
            """);

        Assert.Equal(OnApplyError.DeadLetter, configuration.Syncs[0].OnApplyError);
        Assert.Equal(OnApplyError.Retry, configuration.Syncs[1].OnApplyError);
        Assert.Equal(OnApplyError.Retry, new SyncDefaultsOptions().OnApplyError);
    }

    [Fact]
    public void Environment_variables_override_through_substitutions()
    {
        var configuration = Load(ConfigurationFiles.Valid, new Dictionary<string, string?> { ["MAIN_PASSWORD"] = "s3cret", ["ACTORSYNC_ADMIN_TOKEN"] = "t0ken" });
        Assert.EndsWith("Password=s3cret", configuration.Options.Databases["main"].ConnectionString, StringComparison.Ordinal);
        Assert.Equal("t0ken", configuration.Options.Admin.Token);
    }

    [Fact]
    public void Every_problem_is_reported_at_its_origin_in_file_order()
    {
        var problems = Problems("""
            actorsync {
              databases { main { connection-string = "Host=x", max-conections = 3 } }
              defaults { batch-size = 0, poll-interval = soon }
              syncs = [
                { name = orders, source = "main:public.orders", target = "main:public.orders_copy" }
                { name = orders2, source = "main.public.x", target = "mian:public.y" }
              ]
            }
            """);
        Assert.True(problems.Count == 5, string.Join(Environment.NewLine, problems));
        Assert.Equal(
            [
                $"{Origin(2, 69)}: databases.main.max-conections: unknown key (did you mean 'max-connections'?)",
                $"{Origin(3, 27)}: defaults.batch-size: must be greater than 0, found 0",
                $"{Origin(3, 46)}: defaults.poll-interval: expected a duration such as 5s, 200 ms or 1 minute (units: ns, us, ms, s, m, h, d), found 'soon'",
                $"{Origin(6, 32)}: syncs[1].source: expected \"database:schema.table\", found no ':'",
                $"{Origin(6, 58)}: syncs[1].target: unknown database 'mian' (did you mean 'main'?); configured: main",
            ],
            problems);
    }

    [Theory]
    [InlineData("databases { other { max-connections = 2 } }", "databases.other.connection-string: is required")]
    [InlineData("databases { main { connection-string = \"Hots=x\" } }", "databases.main.connection-string: is not a valid Npgsql connection string")]
    [InlineData("databases { \"a b\" { connection-string = \"Host=x\" } }", "must hold only letters, digits, '-' and '_'")]
    [InlineData("databases = 5", ":3:15: databases: expected an object of databases")]
    [InlineData("syncs = [ { source = \"main:a\", target = \"main:b\" } ]", "syncs[0].name: is required")]
    [InlineData("syncs = [ { name = a, target = \"main:b\" } ]", "syncs[0].source: is required")]
    [InlineData("syncs = [ { name = \"order-items\", source = \"main:a\", target = \"main:b\" } ]", "use 1 to 40 letters, digits and '_'")]
    [InlineData("syncs = [ { name = a, source = \"main:a\", target = \"main:b\" }, { name = A, source = \"main:c\", target = \"main:d\" } ]", "syncs[1].name: the name 'A' is already used by syncs[0]")]
    [InlineData("syncs = [ { name = a, source = \"main:a\", target = \"main:b\" }, { name = b, source = \"main:c\", target = \"main:public.b\" } ]", "syncs[1].target: main:public.b is already the target of sync 'a' (syncs[0])")]
    [InlineData("syncs = [ { name = a, source = \"main:a\", target = \"main:public.a\" } ]", "syncs[0].target: the target is the source table itself (main:public.a)")]
    [InlineData("syncs = [ { name = a, source = \"main:a\", target = \"main:b\", key = [\"\"] } ]", "syncs[0].key[0]: '' is not a column name")]
    [InlineData("syncs = [ { name = a, source = \"main:a\", target = \"main:b\", columns = id } ]", "syncs[0].columns: expected a list such as [id, name], found 'id'")]
    [InlineData("syncs = [ { name = a, source = \"main:a\", target = \"main:b\", batch-size = 0, apply-timeout = 0s } ]", "syncs[0].batch-size: must be greater than 0")]
    [InlineData("syncs = [ { name = a, source = \"main:a\", target = \"main:b\", enabled = maybe } ]", "syncs[0].enabled: expected true or false, found 'maybe'")]
    [InlineData("syncs = [ { name = a, source = \"main:a\", target = \"main:b\", on-schema-change = drop } ]", "expected fail or add-columns, found 'drop'")]
    [InlineData("syncs = [ { name = a, source = \"main:a\", target = \"main:b\", capture-mode = rows } ]", "expected row, statement or auto, found 'rows'")]
    [InlineData("defaults.snapshot-indexes = drop", "defaults.snapshot-indexes: expected defer or keep, found 'drop'")]
    [InlineData("syncs = [ { name = a, source = \"main:a\", target = \"main:b\", on-apply-error = skip } ]", "syncs[0].on-apply-error: expected retry or dead-letter, found 'skip'")]
    [InlineData("defaults.backoff { min = 1m, max = 1s }", "defaults.backoff.min: min (1m) must not be greater than max (1s)")]
    [InlineData("defaults.backoff.random-factor = 2", "must be between 0 and 1")]
    [InlineData("defaults.batch-delay = -5ms", "defaults.batch-delay: must be 0 or a positive duration, found -5ms")]
    [InlineData("syncs = [ { name = a, source = \"main:a\", target = \"main:b\", batch-delay = -1s } ]", "syncs[0].batch-delay: must be 0 or a positive duration")]
    [InlineData("defaults.batch-dealy = 5ms", "defaults.batch-dealy: unknown key (did you mean 'batch-delay'?)")]
    [InlineData("admin.url = \"http://127.0.0.1:8080/admin\"", "admin.url: expected an http:// or https:// address without a path")]
    [InlineData("admin.token = \"\"", "admin.token: must not be empty")]
    [InlineData("sync = []", ":3:10: sync: unknown key (did you mean 'syncs'?)")]
    public void Bad_settings_are_problems_that_name_the_setting(string setting, string fragment)
    {
        var text = $$"""
            actorsync {
              databases { main { connection-string = "Host=x" } }
              {{setting}}
            }
            """;
        var problems = Problems(text);
        Assert.True(problems.Any(problem => problem.Contains(fragment, StringComparison.Ordinal)), string.Join(Environment.NewLine, problems));
        Assert.All(problems, problem => Assert.Matches(@"^.+actorsync\.conf:\d+:\d+: ", problem));
    }

    [Fact]
    public void Admin_url_may_bind_to_any_address_and_be_disabled()
    {
        Assert.Equal("http://+:8080", Load("actorsync { databases { m { connection-string = \"Host=x\" } }, admin.url = \"http://+:8080\" }").Options.Admin.Url);
        Assert.False(Load("actorsync { databases { m { connection-string = \"Host=x\" } }, admin { enabled = off, url = nonsense } }").Options.Admin.Enabled);
    }

    [Fact]
    public void A_missing_section_or_file_and_bad_hocon_are_problems_too()
    {
        Assert.Contains("the section is missing", Assert.Single(Problems("other { a = 1 }")), StringComparison.Ordinal);
        var missing = Assert.Throws<InvalidConfigurationException>(() => ActorSyncConfiguration.Load(Path.Combine(_files.Folder, "none.conf")));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Equal($"{Origin(1, 25)}: could not resolve ${{nope}}: no value at 'nope', and no environment variable nope is set", Assert.Single(Problems("actorsync { databases = ${nope} }")));
        Assert.StartsWith($"{Origin(1, 13)}: expected '}}'", Assert.Single(Problems("actorsync { ")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_path_stays_relative_in_messages()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _files.Write("actorsync { databases = 1 }"));
        var problem = Assert.Single(Assert.Throws<InvalidConfigurationException>(() => ActorSyncConfiguration.Load(relative, NoEnvironment)).Problems);
        Assert.StartsWith(relative + ":1:25: ", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_never_show_a_password()
    {
        var exception = Assert.Throws<InvalidConfigurationException>(() => Load("""
            actorsync {
              databases { main { connection-string = "Host=x;Password=hunter2;Port=notaport" } }
              admin.url = "ftp://user:hunter2@host"
            }
            """));
        Assert.DoesNotContain("hunter2", exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, exception.Problems.Count);
    }

    [Fact]
    public void The_options_pipeline_binds_the_same_way_and_validates_on_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("actorsync:databases:main:connection-string", "Host=x"),
            new("actorsync:defaults:poll-interval", "250ms"),
            new("actorsync:syncs:0:name", "orders"),
            new("actorsync:syncs:0:source", "main:orders"),
            new("actorsync:syncs:0:target", "main:orders_copy"),
        ]).Build();
        using var provider = new ServiceCollection().AddActorSyncOptions(configuration).BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ActorSyncOptions>>().Value;
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Defaults.PollInterval);
        Assert.Equal("orders", Assert.Single(options.Syncs).Name);

        configuration["actorsync:syncs:0:target"] = "main:public.orders";
        configuration["actorsync:defaults:batchsize"] = "1";
        using var invalid = new ServiceCollection().AddActorSyncOptions(configuration).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => invalid.GetRequiredService<IOptions<ActorSyncOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains("defaults.batchsize: unknown key (did you mean 'batch-size'?)", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("syncs[0].target: the target is the source table itself", StringComparison.Ordinal));
    }

    [Fact]
    public void The_example_configuration_in_the_repository_is_valid()
    {
        var path = Path.Combine(RepositoryRoot(), "config", "actorsync.conf");
        var configuration = ActorSyncConfiguration.Load(path, NoEnvironment);
        Assert.NotEmpty(configuration.Syncs);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ActorSync.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("ActorSync.sln was not found above the test's folder.");
    }
}
