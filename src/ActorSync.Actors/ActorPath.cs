using System.Text;

namespace ActorSync.Actors;

/// <summary>
/// The path of an actor in its system's hierarchy, e.g. <c>akka://MySystem/user/parent/child</c>. Paths compare by
/// address and elements; the <see cref="Uid"/> of an incarnation is not part of equality.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>, IComparable<ActorPath>
{
    private string? _toString;
    private int _hash;

    private ActorPath(Address address, ActorPath? parent, string name, long uid)
    {
        Address = address;
        Parent = parent;
        Name = name;
        Uid = uid;
        Depth = parent is null ? 0 : parent.Depth + 1;
    }

    /// <summary>The address of the system the actor lives in.</summary>
    public Address Address { get; }

    /// <summary>The parent path; <see langword="null"/> for the root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element, e.g. <c>child</c>; <c>/</c> for the root.</summary>
    public string Name { get; }

    /// <summary>The unique id of the incarnation this path was taken from; 0 when unknown.</summary>
    public long Uid { get; }

    /// <summary>The number of elements below the root.</summary>
    public int Depth { get; }

    /// <summary>The root path of the same system.</summary>
    public ActorPath Root
    {
        get
        {
            var path = this;
            while (path.Parent is not null)
            {
                path = path.Parent;
            }

            return path;
        }
    }

    /// <summary>The elements below the root, e.g. <c>["user", "parent", "child"]</c>.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new string[Depth];
            var path = this;
            for (var i = Depth - 1; i >= 0; i--)
            {
                elements[i] = path!.Name;
                path = path.Parent;
            }

            return elements;
        }
    }

    /// <summary>Creates the root path of a system.</summary>
    /// <param name="address">The system's address.</param>
    public static ActorPath CreateRoot(Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new ActorPath(address, null, "/", 0);
    }

    /// <summary>Appends a child element.</summary>
    /// <param name="path">The parent path.</param>
    /// <param name="name">The child's name.</param>
    public static ActorPath operator /(ActorPath path, string name)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Child(name);
    }

    /// <summary>Appends a child element.</summary>
    /// <param name="name">The child's name.</param>
    public ActorPath Child(string name) => Child(name, 0);

    /// <summary>The same path carrying the given incarnation id.</summary>
    /// <param name="uid">The incarnation id.</param>
    public ActorPath WithUid(long uid) => Parent is null ? this : new ActorPath(Address, Parent, Name, uid);

    internal ActorPath Child(string name, long uid)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new ActorPath(Address, this, name, uid);
    }

    /// <summary>The path without the address, e.g. <c>/user/parent/child</c>.</summary>
    public string ToStringWithoutAddress()
    {
        if (Parent is null)
        {
            return "/";
        }

        var builder = new StringBuilder();
        AppendElements(builder);
        return builder.ToString();
    }

    /// <summary>The full path followed by <c>#uid</c> when the uid is known.</summary>
    public string ToStringWithUid() => Uid == 0 ? ToString() : ToString() + "#" + Uid;

    /// <inheritdoc />
    public override string ToString()
    {
        if (_toString is null)
        {
            var builder = new StringBuilder(Address.ToString());
            if (Parent is null)
            {
                builder.Append('/');
            }
            else
            {
                AppendElements(builder);
            }

            _toString = builder.ToString();
        }

        return _toString;
    }

    /// <inheritdoc />
    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Depth != Depth)
        {
            return false;
        }

        var left = this;
        var right = other;
        while (left is not null && right is not null)
        {
            if (ReferenceEquals(left, right))
            {
                return true;
            }

            if (!string.Equals(left.Name, right.Name, StringComparison.Ordinal))
            {
                return false;
            }

            if (left.Parent is null)
            {
                return left.Address.Equals(right.Address);
            }

            left = left.Parent;
            right = right.Parent;
        }

        return false;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ActorPath);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            var hash = Parent is null ? Address.GetHashCode() : HashCode.Combine(Parent.GetHashCode(), StringComparer.Ordinal.GetHashCode(Name));
            _hash = hash == 0 ? 1 : hash;
        }

        return _hash;
    }

    /// <inheritdoc />
    public int CompareTo(ActorPath? other) =>
        other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());

    /// <summary>Equality by address and elements.</summary>
    public static bool operator ==(ActorPath? left, ActorPath? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality by address and elements.</summary>
    public static bool operator !=(ActorPath? left, ActorPath? right) => !(left == right);

    private void AppendElements(StringBuilder builder)
    {
        if (Parent is null)
        {
            return;
        }

        Parent.AppendElements(builder);
        builder.Append('/').Append(Name);
    }
}
