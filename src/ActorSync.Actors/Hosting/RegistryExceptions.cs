namespace ActorSync.Actors.Hosting;

/// <summary>An actor is already registered under the key and overwriting was not requested.</summary>
public sealed class DuplicateActorRegistryException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public DuplicateActorRegistryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public DuplicateActorRegistryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DuplicateActorRegistryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>No actor is registered under the requested key.</summary>
public sealed class MissingActorRegistryEntryException : AkkaException
{
    /// <summary>Creates the exception.</summary>
    public MissingActorRegistryEntryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public MissingActorRegistryEntryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public MissingActorRegistryEntryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
