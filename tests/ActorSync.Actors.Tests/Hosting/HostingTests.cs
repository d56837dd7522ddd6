using System.Collections.Concurrent;
using ActorSync.Actors.Hosting;
using ActorSync.Actors.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorSync.Actors.Tests.Hosting;

// Environment.ExitCode is process-wide; these tests set it, so they must not run in parallel with each other.
[Collection(nameof(HostingTests))]
public sealed class HostingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Item75_the_host_starts_the_system_runs_startup_steps_in_order_and_stops_it_with_coordinated_shutdown()
    {
        var steps = new ConcurrentQueue<string>();
        using var host = BuildHost(builder => builder
            .WithActors((system, registry) =>
            {
                steps.Enqueue("actors");
                registry.Register<EchoActor>(system.ActorOf(Props.Create(() => new EchoActor()), "echo"));
                CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceStop, "record", () =>
                {
                    steps.Enqueue("service-stop");
                    return Task.FromResult(Done.Instance);
                });
            })
            .AddStartup(async (system, registry) =>
            {
                await Task.Yield();
                steps.Enqueue("startup " + registry.TryGet<EchoActor>(out var echo));
                Assert.Equal(system.Name, echo.Path.Address.System);
            }));
        await host.StartAsync();
        Assert.Equal(["actors", "startup True"], steps);
        var system = host.Services.GetRequiredService<ActorSystem>();
        Assert.False(system.WhenTerminated.IsCompleted);

        await host.StopAsync();
        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.Equal(["actors", "startup True", "service-stop"], steps);
    }

    [Fact]
    public async Task Item75_a_failing_startup_is_logged_as_critical_and_stops_the_application()
    {
        var logs = new CollectingLoggerProvider();
        try
        {
            using var host = BuildHost(builder => builder.WithActors((_, _) => throw new TestException("startup failed")), logs);
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            await host.StartAsync();
            await WaitFor(lifetime.ApplicationStopping);
            Assert.Contains(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Critical && e.Exception is TestException);
            Assert.Equal(1, Environment.ExitCode);
            await host.StopAsync();
        }
        finally
        {
            Environment.ExitCode = 0;
        }
    }

    [Fact]
    public async Task Item75_a_system_that_terminates_by_itself_stops_the_host_with_a_non_zero_exit_code_after_a_fatal_failure()
    {
        try
        {
            using var host = BuildHost(builder => builder
                .WithSettings(s => s with { GuardianSupervisorStrategy = new OneForOneStrategy(_ => Directive.Escalate) })
                .WithActors((system, registry) => registry.Register<Failing>(system.ActorOf(Props.Create(() => new Failing()), "failing"))));
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            await host.StartAsync();
            host.Services.GetRequiredService<IRequiredActor<Failing>>().ActorRef.Tell("fail");
            await WaitFor(lifetime.ApplicationStopping);
            Assert.Equal(1, Environment.ExitCode);
            await host.StopAsync();
            Assert.True(host.Services.GetRequiredService<ActorSystem>().WhenTerminated.IsCompleted);
        }
        finally
        {
            Environment.ExitCode = 0;
        }

        // A plain Terminate (no failure) stops the host too, without touching the exit code.
        using var other = BuildHost(_ => { });
        var otherLifetime = other.Services.GetRequiredService<IHostApplicationLifetime>();
        await other.StartAsync();
        await other.Services.GetRequiredService<ActorSystem>().Terminate();
        await WaitFor(otherLifetime.ApplicationStopping);
        Assert.Equal(0, Environment.ExitCode);
        await other.StopAsync();
    }

    [Fact]
    public async Task Item76_the_registry_maps_key_types_to_refs_with_try_register_register_get_try_get_and_get_async()
    {
        var system = ActorSystem.Create("registry");
        try
        {
            var registry = ActorRegistry.For(system);
            Assert.Same(registry, ActorRegistry.For(system));
            var first = system.ActorOf(Props.Create(() => new EchoActor()), "first");
            var second = system.ActorOf(Props.Create(() => new EchoActor()), "second");

            var waiting = registry.GetAsync<EchoActor>();
            Assert.False(waiting.IsCompleted);
            Assert.True(registry.TryRegister<EchoActor>(first));
            Assert.Equal(first, await waiting.WaitAsync(Wait));
            Assert.Equal(first, await registry.GetAsync<EchoActor>());

            Assert.False(registry.TryRegister<EchoActor>(second));
            Assert.Equal(first, registry.Get<EchoActor>());
            Assert.True(registry.TryRegister<EchoActor>(second, overwrite: true));
            Assert.Equal(second, registry.Get<EchoActor>());
            Assert.False(registry.TryRegister<Failing>(null!));

            Assert.Throws<DuplicateActorRegistryException>(() => registry.Register<EchoActor>(first));
            Assert.Throws<ArgumentNullException>(() => registry.Register<Failing>(null!));
            registry.Register<EchoActor>(first, overwrite: true);

            Assert.Throws<MissingActorRegistryEntryException>(() => registry.Get<Failing>());
            Assert.False(registry.TryGet<Failing>(out var nobody));
            Assert.Same(ActorRefs.Nobody, nobody);

            using var cancellation = new CancellationTokenSource();
            var cancelled = registry.GetAsync<Failing>(cancellation.Token);
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Item77_system_registry_and_required_actors_resolve_from_di_and_are_available_to_services_after_start()
    {
        using var host = BuildHost(
            (builder, provider) => builder.WithActors((system, registry, resolver) =>
            {
                Assert.Same(provider.GetRequiredService<Greeting>(), resolver.GetService<Greeting>());
                registry.Register<GreeterActor>(system.ActorOf(resolver.Props<GreeterActor>("!"), "greeter"));
            }),
            services => services.AddSingleton<Greeting>().AddTransient<GreeterClient>());

        // Before the host starts nothing is registered: construction of IRequiredActor fails.
        Assert.Throws<MissingActorRegistryEntryException>(() => host.Services.GetRequiredService<IRequiredActor<GreeterActor>>());

        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        Assert.Same(ActorRegistry.For(system), registry);
        Assert.Same(registry, host.Services.GetRequiredService<IActorRegistry>());
        Assert.Same(registry, host.Services.GetRequiredService<IReadOnlyActorRegistry>());

        var required = host.Services.GetRequiredService<IRequiredActor<GreeterActor>>();
        Assert.Equal(registry.Get<GreeterActor>(), required.ActorRef);
        Assert.Equal(required.ActorRef, await required.GetAsync());
        Assert.Equal("hello world!", await host.Services.GetRequiredService<GreeterClient>().Greet("world"));
        await host.StopAsync();
    }

    private static IHost BuildHost(Action<ActorSystemBuilder> configure, CollectingLoggerProvider? logs = null) =>
        BuildHost((builder, _) => configure(builder), _ => { }, logs);

    private static IHost BuildHost(
        Action<ActorSystemBuilder, IServiceProvider> configure, Action<IServiceCollection> services, CollectingLoggerProvider? logs = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        services(builder.Services);
        builder.Services.AddActorSystem("hosted", configure);
        return builder.Build();
    }

    private static async Task WaitFor(CancellationToken token)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = token.Register(() => fired.TrySetResult());
        await fired.Task.WaitAsync(Wait, CancellationToken.None);
    }

    public sealed class Greeting
    {
        public string Prefix => "hello ";
    }

    public sealed class GreeterActor : ReceiveActor
    {
        public GreeterActor(Greeting greeting, string suffix) => Receive<string>(name => Sender.Tell(greeting.Prefix + name + suffix));
    }

    public sealed class GreeterClient(IRequiredActor<GreeterActor> greeter)
    {
        public Task<string> Greet(string name) => greeter.ActorRef.Ask<string>(name, TimeSpan.FromSeconds(5));
    }

    private sealed class Failing : ReceiveActor
    {
        public Failing() => Receive<string>(_ => throw new TestException("fatal"));
    }
}
