using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ActorSync.Tests.Support;

/// <summary>
/// <c>actorsync run</c> as a child process that a test may SIGKILL and start again: <see cref="Log"/> is the output of
/// every incarnation in order, so a test can look for what the service said after a given point (an offset into it).
/// </summary>
public sealed partial class ServiceUnderTest : IAsyncDisposable
{
    private readonly string[] _arguments;
    private readonly List<ActorSyncProcess> _incarnations = [];

    private ServiceUnderTest(string[] arguments) => _arguments = arguments;

    /// <summary>The process running now.</summary>
    public ActorSyncProcess Current => _incarnations[^1];

    /// <summary>How many processes were started.</summary>
    public int Incarnations => _incarnations.Count;

    /// <summary>The admin endpoint of the running process, once it has said where it listens (admin.url with port 0).</summary>
    public Uri? AdminUrl => ListeningLine().Match(Current.Output) is { Success: true } match ? new Uri(match.Groups[1].Value + "/") : null;

    /// <summary>Everything every incarnation printed, stdout and stderr.</summary>
    public string Log => string.Concat(_incarnations.Select(p => p.Output));

    public static ServiceUnderTest Start(params string[] arguments)
    {
        var service = new ServiceUnderTest(arguments);
        service._incarnations.Add(ActorSyncProcess.Start(arguments));
        return service;
    }

    /// <summary>SIGKILL (no shutdown hook runs), then a new process with the same arguments; returns the killed one's exit code.</summary>
    public async Task<int> KillAndRestartAsync()
    {
        Current.Kill();
        var exitCode = await Current.WaitForExitAsync(TimeSpan.FromSeconds(30));
        _incarnations.Add(ActorSyncProcess.Start(_arguments));
        return exitCode;
    }

    /// <summary>
    /// Waits until a line printed after <paramref name="offset"/> of <see cref="Log"/> satisfies <paramref name="match"/>;
    /// returns it and the offset just past it (to look for what follows), or null when the time is up.
    /// </summary>
    public async Task<(string Line, int End)?> WaitForLineAsync(int offset, Func<string, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var log = Log;
            var position = Math.Min(offset, log.Length);
            while (position < log.Length)
            {
                var end = log.IndexOf('\n', position);
                if (end < 0)
                {
                    break; // a line still being written
                }

                var line = log[position..end];
                if (match(line))
                {
                    return (line, end + 1);
                }

                position = end + 1;
            }

            if (clock.Elapsed > timeout || Current.HasExited)
            {
                return null;
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _incarnations)
        {
            await process.DisposeAsync();
        }
    }

    [GeneratedRegex(@"Admin endpoint listening on (http://[^;,\s]+)")]
    private static partial Regex ListeningLine();
}
