using System.Linq.Expressions;
using System.Reflection;

namespace ActorSync.Actors;

/// <summary>
/// An immutable recipe for creating an actor: its type, how to build an instance, and options such as the supervisor
/// strategy it applies to its own children. The same <see cref="Props"/> builds every incarnation after a restart.
/// </summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    private Props(Type type, Func<ActorBase> factory, object?[] arguments, SupervisorStrategy? supervisorStrategy, int stashCapacity)
    {
        Type = type;
        _factory = factory;
        Arguments = arguments;
        SupervisorStrategy = supervisorStrategy;
        StashCapacity = stashCapacity;
    }

    /// <summary>The actor type.</summary>
    public Type Type { get; }

    /// <summary>The constructor arguments, when known.</summary>
    public IReadOnlyList<object?> Arguments { get; }

    /// <summary>The strategy the created actor applies to its children; <see langword="null"/> to use the actor's own.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    /// <summary>The stash capacity for actors with a stash; -1 for unbounded.</summary>
    public int StashCapacity { get; }

    /// <summary>Props for <typeparamref name="TActor"/> built with its parameterless constructor.</summary>
    /// <typeparam name="TActor">The actor type.</typeparam>
    public static Props Create<TActor>()
        where TActor : ActorBase, new() =>
        new(typeof(TActor), static () => new TActor(), [], null, -1);

    /// <summary>
    /// Props for the actor built by <paramref name="factory"/>, e.g. <c>() =&gt; new Worker(id)</c>. For a
    /// <c>new</c> expression the arguments are evaluated once, now, and passed to every incarnation.
    /// </summary>
    /// <typeparam name="TActor">The actor type.</typeparam>
    /// <param name="factory">The expression that builds the actor.</param>
    public static Props Create<TActor>(Expression<Func<TActor>> factory)
        where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (factory.Body is NewExpression { Constructor: not null } newExpression)
        {
            var arguments = newExpression.Arguments.Select(Evaluate).ToArray();
            var constructor = newExpression.Constructor;
            return new Props(newExpression.Type, () => (ActorBase)Construct(constructor, arguments), arguments, null, -1);
        }

        var compiled = factory.Compile();
        return new Props(typeof(TActor), () => compiled(), [], null, -1);
    }

    /// <summary>Props for <typeparamref name="TActor"/> built with the constructor that takes <paramref name="args"/>.</summary>
    /// <typeparam name="TActor">The actor type.</typeparam>
    /// <param name="args">The constructor arguments.</param>
    public static Props Create<TActor>(params object?[] args)
        where TActor : ActorBase =>
        Create(typeof(TActor), args);

    /// <summary>Props for <paramref name="type"/> built with the constructor that takes <paramref name="args"/>.</summary>
    /// <param name="type">The actor type; it must derive from <see cref="ActorBase"/>.</param>
    /// <param name="args">The constructor arguments.</param>
    /// <exception cref="ArgumentException"><paramref name="type"/> is not an actor type.</exception>
    public static Props Create(Type type, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!typeof(ActorBase).IsAssignableFrom(type) || type.IsAbstract)
        {
            throw new ArgumentException($"{type} is not a concrete actor type (a class deriving from ActorBase).", nameof(type));
        }

        var arguments = args ?? [];
        return new Props(type, () => (ActorBase)Activator.CreateInstance(type, arguments)!, arguments, null, -1);
    }

    internal static Props Create(Type type, Func<ActorBase> factory)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(type, factory, [], null, -1);
    }

    /// <summary>A copy whose actor supervises its children with <paramref name="strategy"/>.</summary>
    /// <param name="strategy">The strategy.</param>
    public Props WithSupervisorStrategy(SupervisorStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return new Props(Type, _factory, [.. Arguments], strategy, StashCapacity);
    }

    /// <summary>A copy whose stash holds at most <paramref name="capacity"/> messages (-1 for unbounded).</summary>
    /// <param name="capacity">The capacity.</param>
    public Props WithStashCapacity(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, -1);
        return new Props(Type, _factory, [.. Arguments], SupervisorStrategy, capacity);
    }

    internal ActorBase NewActor()
    {
        try
        {
            return _factory();
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Props({Type})";

    private static object Construct(ConstructorInfo constructor, object?[] arguments) => constructor.Invoke(arguments);

    private static object? Evaluate(Expression expression)
    {
        switch (expression)
        {
            case ConstantExpression constant:
                return constant.Value;
            case MemberExpression { Member: FieldInfo field, Expression: null }:
                return field.GetValue(null);
            case MemberExpression { Member: FieldInfo field, Expression: ConstantExpression owner }:
                // A captured local: a field of the compiler's closure object.
                return field.GetValue(owner.Value);
            default:
                var lambda = Expression.Lambda<Func<object?>>(Expression.Convert(expression, typeof(object)));
                return lambda.Compile(preferInterpretation: true)();
        }
    }
}
