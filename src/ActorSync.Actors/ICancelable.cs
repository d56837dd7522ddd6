namespace ActorSync.Actors;

/// <summary>Something that can be cancelled, such as scheduled work.</summary>
public interface ICancelable
{
    /// <summary>Whether it has been cancelled.</summary>
    public bool IsCancellationRequested { get; }

    /// <summary>A token cancelled together with this object.</summary>
    public CancellationToken Token { get; }

    /// <summary>Cancels; further calls do nothing.</summary>
    public void Cancel();

    /// <summary>Cancels after <paramref name="delay"/>.</summary>
    /// <param name="delay">The delay.</param>
    public void CancelAfter(TimeSpan delay);
}

/// <summary>A stand-alone <see cref="ICancelable"/> to pass to the scheduler's overloads that take one.</summary>
public sealed class Cancelable : ICancelable, IDisposable
{
    private readonly CancellationTokenSource _source = new();

    /// <summary>Creates a cancelable that is not cancelled.</summary>
    public Cancelable()
    {
    }

    /// <summary>Creates a cancelable; the scheduler is accepted for Akka.NET compatibility.</summary>
    /// <param name="scheduler">Unused.</param>
    public Cancelable(IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
    }

    /// <inheritdoc />
    public bool IsCancellationRequested => _source.IsCancellationRequested;

    /// <inheritdoc />
    public CancellationToken Token => _source.Token;

    /// <summary>A cancelable that is already cancelled.</summary>
    public static Cancelable CreateCanceled()
    {
        var cancelable = new Cancelable();
        cancelable.Cancel();
        return cancelable;
    }

    /// <inheritdoc />
    public void Cancel() => _source.Cancel();

    /// <inheritdoc />
    public void CancelAfter(TimeSpan delay) => _source.CancelAfter(delay);

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}
