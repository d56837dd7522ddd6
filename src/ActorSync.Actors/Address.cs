namespace ActorSync.Actors;

/// <summary>The address part of an actor path: protocol and actor system name, e.g. <c>akka://MySystem</c>.</summary>
public sealed class Address : IEquatable<Address>
{
    /// <summary>Creates an address.</summary>
    /// <param name="protocol">The protocol, <c>akka</c> for local actors.</param>
    /// <param name="system">The actor system's name.</param>
    public Address(string protocol, string system)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        ArgumentException.ThrowIfNullOrEmpty(system);
        Protocol = protocol;
        System = system;
    }

    /// <summary>The protocol, <c>akka</c> for local actors.</summary>
    public string Protocol { get; }

    /// <summary>The actor system's name.</summary>
    public string System { get; }

    /// <inheritdoc />
    public bool Equals(Address? other) =>
        other is not null && string.Equals(Protocol, other.Protocol, StringComparison.Ordinal) &&
        string.Equals(System, other.System, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Address);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Protocol, System);

    /// <inheritdoc />
    public override string ToString() => Protocol + "://" + System;
}
