using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace ActorSync.Demo;

/// <summary>
/// Ctrl+C and SIGTERM during the demo: the first one stops the writer and goes on to the catch-up and the verdict,
/// a second one gives up waiting. Neither ends the process at once, so the server is always cleaned up.
/// </summary>
public sealed class DemoSignals : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public DemoSignals(CancellationTokenSource stop, CancellationTokenSource abort)
    {
        void Handle(PosixSignalContext context)
        {
            context.Cancel = true; // the demo ends by itself, after cleaning up
            (Interlocked.Increment(ref _received) == 1 ? stop : abort).Cancel();
        }

        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    /// <summary>True once a signal asked the demo to stop.</summary>
    public bool Received => Volatile.Read(ref _received) > 0;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}

/// <summary>
/// The demo's host lifetime: unlike the console lifetime it does not stop the host on Ctrl+C, since the demo still
/// needs the service running to catch up; the demo stops the host itself.
/// </summary>
public sealed class DemoHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
