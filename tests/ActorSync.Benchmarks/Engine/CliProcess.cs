using System.Diagnostics;
using System.Globalization;

namespace ActorSync.Benchmarks.Engine;

/// <summary>
/// The real <c>actorsync</c> CLI as a child process, with its peak memory: the one built beside the benchmarks, or
/// another build such as a <see cref="PublishedCli"/>.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;

    private CliProcess(Process process) => _process = process;

    public static CliProcess Start(IEnumerable<string> arguments, string? assembly = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(assembly ?? Path.Combine(AppContext.BaseDirectory, "actorsync.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("actorsync: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new CliProcess(process);
    }

    /// <summary>Waits for the process to end on its own (a command such as <c>uninstall</c>).</summary>
    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    /// <summary>The exit code once the process has ended, else null.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>VmHWM: the most resident memory the process has had so far.</summary>
    public double PeakResidentMegabytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])))
            {
                await term!.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
