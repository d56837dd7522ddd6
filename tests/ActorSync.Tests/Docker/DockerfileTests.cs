using System.Text.RegularExpressions;

namespace ActorSync.Tests.Docker;

/// <summary>
/// The Dockerfile, read as text (issue 8): a multi-stage build, a non-root runtime, the actorsync entry point and health
/// check, and a build context that holds everything the build copies. <see cref="ComposeStackTests"/> builds it.
/// </summary>
public sealed partial class DockerfileTests
{
    // One instruction a line: a line ending in a backslash goes on in the next.
    private static readonly string[] Lines = RepositoryFiles.Read("Dockerfile").Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    [Fact]
    public void The_SDK_image_builds_and_the_ASP_NET_Core_runtime_image_runs()
    {
        var stages = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, stages.Length);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$", stages[0]);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0 AS runtime$", stages[1]);
        Assert.Contains(Lines, l => l.StartsWith("RUN dotnet publish src/ActorSync/ActorSync.csproj", StringComparison.Ordinal));
        Assert.Contains("COPY --from=build /app ./", RuntimeStage());
    }

    [Fact]
    public void The_restore_fetches_what_the_ReadyToRun_publish_needs()
    {
        // Issue 18: the publish does not restore, and ReadyToRun needs the platform's runtime packs, which a restore
        // fetches only when it is asked for ReadyToRun too (NETSDK1112 otherwise).
        var restore = Assert.Single(Lines, l => l.StartsWith("RUN dotnet restore src/ActorSync/ActorSync.csproj", StringComparison.Ordinal));
        var publish = Assert.Single(Lines, l => l.StartsWith("RUN dotnet publish src/ActorSync/ActorSync.csproj", StringComparison.Ordinal));
        Assert.Contains("--no-restore", publish, StringComparison.Ordinal);
        Assert.Contains("-p:PublishReadyToRun=true", publish, StringComparison.Ordinal);
        Assert.Contains("-p:PublishReadyToRun=true", restore, StringComparison.Ordinal);
        Assert.Contains("-a \"${TARGETARCH:-amd64}\"", restore, StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_runs_as_the_images_non_root_user_with_the_actorsync_entry_point_and_health_check()
    {
        var runtime = RuntimeStage();
        Assert.Equal("USER $APP_UID", Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal)));
        Assert.Equal("ENTRYPOINT [\"actorsync\"]", Assert.Single(runtime, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
        Assert.Equal("CMD [\"run\"]", Assert.Single(runtime, l => l.StartsWith("CMD", StringComparison.Ordinal)));
        var health = Assert.Single(runtime, l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
        Assert.EndsWith("CMD [\"actorsync\", \"health\"]", health, StringComparison.Ordinal);
        Assert.Contains(runtime, l => l.Contains("ACTORSYNC_CONFIG=/etc/actorsync/actorsync.conf", StringComparison.Ordinal));
    }

    [Fact]
    public void Everything_the_build_copies_exists_and_is_in_the_build_context()
    {
        var ignore = DockerIgnore.Load(RepositoryFiles.PathOf(".dockerignore"));
        var sources = Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.StartsWith("COPY --from", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
            .ToList();
        Assert.Contains("src/", sources);
        foreach (var source in sources)
        {
            var path = RepositoryFiles.PathOf(source);
            var files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f).Replace('\\', '/'))
                    .Where(f => !BuildOutput().IsMatch(f))
                    .ToList()
                : [source];
            Assert.True(files.Count > 0 && (Directory.Exists(path) || File.Exists(path)), $"COPY {source}: nothing there");
            Assert.All(files, f => Assert.True(ignore.IsInContext(f), $"COPY {source}: {f} is left out of the build context by .dockerignore"));
        }
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_tests_and_git()
    {
        var ignore = DockerIgnore.Load(RepositoryFiles.PathOf(".dockerignore"));
        Assert.False(ignore.IsInContext("src/ActorSync/bin/Debug/net10.0/actorsync.dll"));
        Assert.False(ignore.IsInContext("src/ActorSync.Hocon/obj/project.assets.json"));
        Assert.False(ignore.IsInContext("tests/ActorSync.Tests/ActorSync.Tests.csproj"));
        Assert.False(ignore.IsInContext(".git/HEAD"));
        Assert.False(ignore.IsInContext("config/actorsync.conf"));
        Assert.True(ignore.IsInContext("src/ActorSync/Program.cs"));
        Assert.True(ignore.IsInContext("db/demo/shop.sql"));
    }

    private static string[] RuntimeStage() =>
        Lines.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet", StringComparison.Ordinal)).ToArray();

    [GeneratedRegex("(^|/)(bin|obj)/")]
    private static partial Regex BuildOutput();
}
