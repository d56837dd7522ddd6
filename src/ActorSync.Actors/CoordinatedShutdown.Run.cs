using ActorSync.Actors.Internal;

namespace ActorSync.Actors;

public sealed partial class CoordinatedShutdown
{
    private async Task<Done> RunPhases(string? fromPhase)
    {
        await Task.Yield();
        var phases = fromPhase is null ? OrderedPhases : OrderedPhases.SkipWhile(p => p != fromPhase).ToList();
        foreach (var phase in phases)
        {
            List<(string Name, Func<Task<Done>> Task)> tasks;
            lock (_lock)
            {
                _startedPhases.Add(phase);
                tasks = _tasks.TryGetValue(phase, out var list) ? [.. list] : [];
            }

            var definition = _settings.Phases[phase];
            if (!definition.Enabled || tasks.Count == 0)
            {
                continue;
            }

            if (!await RunPhase(phase, definition, tasks).ConfigureAwait(false))
            {
                LogMessages.CoordinatedShutdownAborted(_system.KernelLogger, phase);
                break;
            }
        }

        return Done.Instance;
    }

    /// <summary>Runs one phase's tasks in parallel; returns whether shutdown may continue.</summary>
    private async Task<bool> RunPhase(string phase, Phase definition, List<(string Name, Func<Task<Done>> Task)> tasks)
    {
        var timeout = definition.Timeout ?? _settings.DefaultPhaseTimeout;
        var running = tasks.Select(t => RunTask(phase, t.Name, t.Task)).ToArray();
        var all = Task.WhenAll(running);
        using var delay = new CancellationTokenSource();
        var finished = await Task.WhenAny(all, Task.Delay(timeout, delay.Token)).ConfigureAwait(false);
        if (finished != all)
        {
            LogMessages.CoordinatedShutdownPhaseTimedOut(_system.KernelLogger, phase, timeout);
            return definition.Recover;
        }

        await delay.CancelAsync().ConfigureAwait(false);
        var succeeded = await all.ConfigureAwait(false);
        return definition.Recover || succeeded.All(ok => ok);
    }

    private async Task<bool> RunTask(string phase, string name, Func<Task<Done>> task)
    {
        try
        {
            await task().ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            LogMessages.CoordinatedShutdownTaskFailed(_system.KernelLogger, e, phase, name);
            return false;
        }
    }

    /// <summary>Why a coordinated shutdown was started.</summary>
    public abstract class Reason
    {
        /// <summary>Creates a reason.</summary>
        protected Reason()
        {
        }

        /// <inheritdoc />
        public override string ToString() => GetType().Name;
    }

    /// <summary>Started for no specific reason.</summary>
    public sealed class UnknownReason : Reason
    {
        /// <summary>The single instance.</summary>
        public static readonly UnknownReason Instance = new();

        private UnknownReason()
        {
        }
    }

    /// <summary>Started by <see cref="ActorSystem.Terminate"/>.</summary>
    public sealed class ActorSystemTerminateReason : Reason
    {
        /// <summary>The single instance.</summary>
        public static readonly ActorSystemTerminateReason Instance = new();

        private ActorSystemTerminateReason()
        {
        }
    }

    /// <summary>Started because the process is exiting (e.g. the host stops).</summary>
    public sealed class ClrExitReason : Reason
    {
        /// <summary>The single instance.</summary>
        public static readonly ClrExitReason Instance = new();

        private ClrExitReason()
        {
        }
    }
}
