using System.Diagnostics;

namespace ActorSync.Benchmarks.Engine;

/// <summary>
/// The CLI as the image ships it (Dockerfile: Release, ReadyToRun): published once per bench run into a temporary
/// folder, so a figure that counts process start counts the start users get, not the JIT's.
/// </summary>
public sealed class PublishedCli : IDisposable
{
    private readonly string _folder;

    private PublishedCli(string folder) => _folder = folder;

    /// <summary>The published <c>actorsync.dll</c>.</summary>
    public string Assembly => Path.Combine(_folder, "actorsync.dll");

    public static async Task<PublishedCli> PublishAsync()
    {
        var project = Path.Combine(RepositoryRoot(), "src", "ActorSync", "ActorSync.csproj");
        var folder = Directory.CreateTempSubdirectory("actorsync-bench-cli-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "false",
                "-p:PublishReadyToRun=true", "-o", folder, "--nologo", "-v", "quiet",
            },
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            Directory.Delete(folder, recursive: true);
            throw new InvalidOperationException($"dotnet publish {project} failed ({process.ExitCode}): {output}");
        }

        return new PublishedCli(folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ActorSync.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"ActorSync.sln not found above {AppContext.BaseDirectory}");
    }
}
