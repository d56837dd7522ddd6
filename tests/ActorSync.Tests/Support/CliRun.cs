using ActorSync.Cli;

namespace ActorSync.Tests.Support;

/// <summary>
/// The CLI in-process, with its output and error captured, for commands that are expected to end on their own (a
/// refused <c>run</c>, <c>check</c>). A command that does not end in time fails the test instead of hanging it.
/// </summary>
public static class CliRun
{
    public static async Task<(int ExitCode, string Output)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var run = ActorSyncCli.InvokeAsync(args, output, error);
        if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) != run)
        {
            throw new TimeoutException($"actorsync {string.Join(' ', args)} did not end within 60 s (did it start the service?)");
        }

        return (await run, output + error.ToString());
    }

    /// <summary>Writes a configuration file as given, for tests that need its lines and columns.</summary>
    public static ConfigText WriteConfig(string text) => new(text);

    /// <summary>A configuration file with exactly the given text, deleted with its folder on dispose.</summary>
    public sealed class ConfigText : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("actorsync-bad-").FullName;

        internal ConfigText(string text) => File.WriteAllText(Path, text);

        public string Path => System.IO.Path.Combine(_folder, "actorsync.conf");

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}
