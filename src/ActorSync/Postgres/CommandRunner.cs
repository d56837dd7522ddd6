using System.Diagnostics;
using System.Text;

namespace ActorSync.Postgres;

/// <summary>Runs the PostgreSQL programs, as the <c>postgres</c> OS user when this process is root.</summary>
internal static class CommandRunner
{
    public const string PostgresOsUser = "postgres";

    /// <summary>Postgres refuses to run as root, so as root every server program runs through <c>runuser</c>.</summary>
    public static bool RunsAsPostgresUser => Environment.IsPrivilegedProcess;

    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IReadOnlyList<string> arguments, bool asPostgresUser, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (asPostgresUser && RunsAsPostgresUser)
        {
            start.FileName = "runuser";
            foreach (var a in new[] { "-u", PostgresOsUser, "--", fileName })
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Server programs must not inherit a locale the cluster does not have, or a client encoding.
        start.Environment["LC_ALL"] = "C.UTF-8";
        start.Environment.Remove("PGDATA");
        start.Environment.Remove("PGPORT");
        start.Environment.Remove("PGHOST");

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }

    public static async Task<string> RunCheckedAsync(
        string fileName, IReadOnlyList<string> arguments, bool asPostgresUser, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync(fileName, arguments, asPostgresUser, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{Path.GetFileName(fileName)} {string.Join(' ', arguments)}' failed with exit code {exitCode}: {output.Trim()}");
        }

        return output;
    }

    /// <summary>Sends a POSIX signal by PID (no P/Invoke needed: <c>kill</c> is everywhere).</summary>
    public static void Signal(int pid, string signal)
    {
        using var process = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        });
        process?.WaitForExit();
    }

    /// <summary>True while the process exists and is not a zombie (a zombie still answers <c>kill -0</c>).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat.LastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.Length || stat[afterName + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}
