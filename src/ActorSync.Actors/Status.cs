namespace ActorSync.Actors;

/// <summary>Replies that report the outcome of an operation, as used by <c>Ask</c> and <c>PipeTo</c>.</summary>
public abstract class Status
{
    private Status()
    {
    }

    /// <summary>The operation succeeded, optionally with a value.</summary>
    public sealed class Success : Status
    {
        /// <summary>A success without a value.</summary>
        public static readonly Success Instance = new(null);

        /// <summary>Creates a success carrying <paramref name="status"/>.</summary>
        /// <param name="status">The value, if any.</param>
        public Success(object? status)
        {
            Status = status;
        }

        /// <summary>The value, if any.</summary>
        public object? Status { get; }

        /// <inheritdoc />
        public override string ToString() => $"Success: {Status}";
    }

    /// <summary>The operation failed. Replying this to an <c>Ask</c> fails the asker's task with <see cref="Cause"/>.</summary>
    public sealed class Failure : Status
    {
        /// <summary>Creates a failure.</summary>
        /// <param name="cause">The exception.</param>
        public Failure(Exception cause)
            : this(cause, null)
        {
        }

        /// <summary>Creates a failure with extra state.</summary>
        /// <param name="cause">The exception.</param>
        /// <param name="state">Anything the receiver needs to correlate the failure.</param>
        public Failure(Exception cause, object? state)
        {
            ArgumentNullException.ThrowIfNull(cause);
            Cause = cause;
            State = state;
        }

        /// <summary>The exception.</summary>
        public Exception Cause { get; }

        /// <summary>Extra state, if any.</summary>
        public object? State { get; }

        /// <inheritdoc />
        public override string ToString() => $"Failure: {Cause}";
    }
}
