using ActorSync.Actors.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorSync.Actors.Internal;

/// <summary>Starts the actor system with the host and shuts it down with the host (semantics item 75).</summary>
internal sealed class ActorSystemHostedService(IServiceProvider provider, IHostApplicationLifetime lifetime) : IHostedService
{
    private ActorSystem? _system;
    private volatile bool _hostStopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = provider.GetRequiredService<ActorSystemBuilder>();
        try
        {
            _system = provider.GetRequiredService<ActorSystem>();
            var registry = ActorRegistry.For(_system);
            var resolver = new ServiceProviderDependencyResolver(provider);
            foreach (var step in builder.StartupSteps)
            {
                await step(_system, registry, resolver).WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            _ = _system.WhenTerminated.ContinueWith(
                static (_, state) => ((ActorSystemHostedService)state!).OnSystemTerminated(),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        catch (Exception e)
        {
            var logger = (provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("ActorSync.Actors.Hosting");
            LogMessages.HostedStartupFailed(logger, e, builder.ActorSystemName);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _hostStopping = true;
        if (_system is null)
        {
            return;
        }

        await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(cancellationToken).ConfigureAwait(false);
        await _system.WhenTerminated.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void OnSystemTerminated()
    {
        if (_hostStopping || _system is null)
        {
            return;
        }

        // The system went away on its own: the application cannot go on without it.
        if (_system.TerminatedByFatalFailure)
        {
            LogMessages.HostedSystemFailed(_system.KernelLogger, _system.Name);
            Environment.ExitCode = 1;
        }
        else
        {
            LogMessages.HostedSystemTerminated(_system.KernelLogger, _system.Name);
        }

        lifetime.StopApplication();
    }
}

/// <summary>Resolves services and builds actors from the host's service provider.</summary>
internal sealed class ServiceProviderDependencyResolver(IServiceProvider provider) : IDependencyResolver
{
    public object? GetService(Type type) => provider.GetService(type);

    public T GetService<T>()
        where T : notnull => provider.GetRequiredService<T>();

    public Props Props<TActor>(params object[] args)
        where TActor : ActorBase => Props(typeof(TActor), args);

    public Props Props(Type actorType, params object[] args)
    {
        ArgumentNullException.ThrowIfNull(actorType);
        if (!typeof(ActorBase).IsAssignableFrom(actorType))
        {
            throw new ArgumentException($"{actorType} is not an actor type.", nameof(actorType));
        }

        return Actors.Props.Create(actorType, () => (ActorBase)ActivatorUtilities.CreateInstance(provider, actorType, args));
    }
}
