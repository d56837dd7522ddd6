using System.Text;
using System.Text.RegularExpressions;
using ActorSync.Actors.Dispatch;

namespace ActorSync.Actors.Internal;

internal sealed partial class ActorCell
{
    private readonly ChildrenContainer _children = new();
    private long _nextChildName;

    public IEnumerable<IActorRef> Children => _children.Children();

    public IEnumerable<IActorRef> GetChildren() => _children.Children();

    public IActorRef Child(string name) => _children.GetByName(name) ?? Nobody.Instance;

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is null)
        {
            name = "$" + Base64Name(Interlocked.Increment(ref _nextChildName));
        }
        else
        {
            ValidateName(name);
        }

        _children.Reserve(name, _self.Path);
        try
        {
            var child = CreateChild(props, name);
            _children.Initialize(name, child);
            child.SendSystemMessage(Dispatch.Create.Instance);
            return child;
        }
        catch
        {
            _children.Unreserve(name);
            throw;
        }
    }

    public void Stop(IActorRef child)
    {
        ArgumentNullException.ThrowIfNull(child);
        _children.ShallDie(child);
        if (child is IInternalActorRef internalRef)
        {
            internalRef.Stop();
        }
    }

    public void RestartChild(IActorRef child, Exception cause, bool suspendFirst)
    {
        var internalRef = (IInternalActorRef)child;
        if (suspendFirst)
        {
            internalRef.SendSystemMessage(Dispatch.Suspend.Instance);
        }

        internalRef.SendSystemMessage(new Recreate(cause));
    }

    public void ResumeChild(IActorRef child, Exception cause) => ((IInternalActorRef)child).SendSystemMessage(new Resume(cause));

    private LocalActorRef CreateChild(Props props, string name)
    {
        var uid = Random.Shared.NextInt64(1, long.MaxValue);
        var childRef = new LocalActorRef(_system, _self.Path.Child(name, uid), _self);
        _ = new ActorCell(_system, childRef, props, _self, new Mailbox(_system.Settings.Throughput));
        return childRef;
    }

    private void SuspendChildren(IActorRef? except)
    {
        foreach (var child in _children.Children())
        {
            if (!child.Equals(except))
            {
                child.SendSystemMessage(Dispatch.Suspend.Instance);
            }
        }
    }

    private void ResumeChildren(Exception? causedByFailure, IActorRef? perpetrator)
    {
        foreach (var child in _children.Children())
        {
            child.SendSystemMessage(new Resume(child.Equals(perpetrator) ? causedByFailure : null));
        }
    }

    private static void ValidateName(string name)
    {
        if (name.Length == 0)
        {
            throw new InvalidActorNameException("Actor name must not be empty.");
        }

        if (name[0] == '$')
        {
            throw new InvalidActorNameException($"Actor name [{name}] is invalid: names starting with '$' are reserved.");
        }

        if (!ValidNameRegex().IsMatch(name))
        {
            throw new InvalidActorNameException(
                $"Actor name [{name}] is invalid: use letters, digits and -_.*$+:@&=,!~';, or %-escapes.");
        }
    }

    private static string Base64Name(long value)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+~";
        var builder = new StringBuilder();
        do
        {
            builder.Append(Alphabet[(int)(value & 63)]);
            value >>= 6;
        }
        while (value != 0);

        return builder.ToString();
    }

    [GeneratedRegex(@"^(?:[-\w:@&=+,.!~*'_;$]|%[0-9A-Fa-f]{2})+$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidNameRegex();
}
