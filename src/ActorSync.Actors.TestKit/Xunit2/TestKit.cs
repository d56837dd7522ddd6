using ActorSync.Actors.TestKit.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ActorSync.Actors.TestKit.Xunit2;

/// <summary>
/// Base class for xunit actor tests, as Akka.TestKit.Xunit2's: each test gets a fresh <see cref="TestKitBase.Sys"/>
/// (terminated on dispose) and a <see cref="TestKitBase.TestActor"/>, which is the implicit sender of <c>Tell</c>
/// from the test, so replies arrive at <c>ExpectMsg</c>. With an <see cref="ITestOutputHelper"/>, the actor system's
/// log goes to the test output.
/// </summary>
public abstract class TestKit : TestKitBase, IDisposable
{
    private readonly ILoggerFactory? _ownedLoggerFactory;
    private bool _disposed;

    /// <summary>Creates a test with its own actor system.</summary>
    /// <param name="output">Where the system's log goes, if anywhere.</param>
    protected TestKit(ITestOutputHelper? output = null)
        : this(ActorSystemSettings.Default, output)
    {
    }

    /// <summary>Creates a test with its own actor system built from <paramref name="settings"/>.</summary>
    /// <param name="settings">The system's settings; its logger factory is replaced by the test output when it has none.</param>
    /// <param name="output">Where the system's log goes, if anywhere.</param>
    protected TestKit(ActorSystemSettings settings, ITestOutputHelper? output = null)
        : this(CreateSystem(settings, output, out var factory), TestKitSettings.Default, factory)
    {
    }

    /// <summary>Creates a test on an existing actor system (terminated on dispose).</summary>
    /// <param name="system">The system.</param>
    /// <param name="output">Unused for an existing system; accepted for symmetry with Akka.NET.</param>
    protected TestKit(ActorSystem system, ITestOutputHelper? output = null)
        : this(system, TestKitSettings.Default, null)
    {
        _ = output;
    }

    private TestKit(ActorSystem system, TestKitSettings settings, ILoggerFactory? ownedLoggerFactory)
        : base(system, settings, null)
    {
        _ownedLoggerFactory = ownedLoggerFactory;
        SetImplicitSender();
    }

    /// <summary>Terminates the actor system.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Terminates the actor system (when <paramref name="disposing"/>).</summary>
    /// <param name="disposing">Whether called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        Shutdown();
        _ownedLoggerFactory?.Dispose();
    }

    private static ActorSystem CreateSystem(ActorSystemSettings settings, ITestOutputHelper? output, out ILoggerFactory? factory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        factory = null;
        if (output is not null && settings.LoggerFactory is NullLoggerFactory)
        {
            factory = new LoggerFactory([new TestOutputLoggerProvider(output)]);
            settings = settings with { LoggerFactory = factory };
        }

        return ActorSystem.Create("test", settings);
    }
}
