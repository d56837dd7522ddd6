namespace ActorSync.Postgres;

/// <summary>
/// Locates the PostgreSQL server programs (<c>initdb</c>, <c>pg_ctl</c>, <c>postgres</c>): first the folder named by
/// <c>ACTORSYNC_PG_BIN</c>, then PATH, then <c>/usr/lib/postgresql/*/bin</c> with the newest major version first.
/// </summary>
public sealed record PostgresBinaries(string BinDirectory)
{
    public const string BinDirectoryVariable = "ACTORSYNC_PG_BIN";

    public const string NotFoundMessage =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under /usr/lib/postgresql/*/bin: " +
        "install them (Debian/Ubuntu: apt-get install -y postgresql), or set ACTORSYNC_PG_BIN to their folder.";

    public string InitDb => Path.Combine(BinDirectory, "initdb");

    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    public string PgDump => Path.Combine(BinDirectory, "pg_dump");

    public string Psql => Path.Combine(BinDirectory, "psql");

    /// <summary>Finds the binaries, or returns null when none are installed.</summary>
    public static PostgresBinaries? TryFind() => TryFind(CandidateDirectories());

    /// <summary>Finds the binaries or throws <see cref="InvalidOperationException"/> with one sentence saying what to install.</summary>
    public static PostgresBinaries Find() => Find(CandidateDirectories());

    internal static PostgresBinaries Find(IEnumerable<string> candidateDirectories) =>
        TryFind(candidateDirectories) ?? throw new InvalidOperationException(NotFoundMessage);

    internal static PostgresBinaries? TryFind(IEnumerable<string> candidateDirectories)
    {
        foreach (var candidate in candidateDirectories)
        {
            if (File.Exists(Path.Combine(candidate, "initdb")) && File.Exists(Path.Combine(candidate, "pg_ctl")))
            {
                return new PostgresBinaries(ResolveLinks(candidate));
            }
        }

        return null;
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        var configured = Environment.GetEnvironmentVariable(BinDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return configured;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return dir;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var versions = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: d, Version: ParseVersion(Path.GetFileName(d))))
                .OrderByDescending(v => v.Version);
            foreach (var (dir, _) in versions)
            {
                yield return Path.Combine(dir, "bin");
            }
        }
    }

    private static Version ParseVersion(string name) =>
        Version.TryParse(name.Contains('.') ? name : name + ".0", out var v) ? v : new Version(0, 0);

    // initdb on PATH is often a symlink into /usr/lib/postgresql/N/bin; pg_ctl must come from the same folder,
    // and pg_ctl finds `postgres` next to itself, so resolve to the real folder.
    private static string ResolveLinks(string dir)
    {
        var target = new FileInfo(Path.Combine(dir, "initdb")).ResolveLinkTarget(returnFinalTarget: true);
        return target?.FullName is { } real ? Path.GetDirectoryName(real) ?? dir : dir;
    }
}
