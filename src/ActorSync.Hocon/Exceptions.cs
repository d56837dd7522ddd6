namespace ActorSync.Hocon;

// The library's exceptions, in one place (STYLE.md, "Errors"):
//   HoconException                 base: Origin + Problem, Message = "FILE:LINE:COLUMN: problem"
//   ├─ HoconParseException        the text is not HOCON (or JSON / properties); an include is missing or unsupported
//   ├─ HoconResolveException      a substitution cannot be resolved, is part of a cycle, or a concatenation mixes types
//   └─ HoconValueException        typed access (HoconConfig): missing path, wrong type, bad duration or size
// Messages name the origin, what was expected and what was found; they never quote the contents of quoted strings,
// so a password written in a config file does not end up in a log line.

/// <summary>
/// A problem with HOCON input. <see cref="Exception.Message"/> is <c>FILE:LINE:COLUMN: problem</c>; the parts are
/// available as <see cref="Origin"/> and <see cref="Problem"/>.
/// </summary>
public class HoconException : Exception
{
    /// <summary>Creates an exception for a problem at <paramref name="origin"/>.</summary>
    public HoconException(HoconOrigin origin, string problem, Exception? innerException = null)
        : base($"{origin}: {problem}", innerException)
    {
        Origin = origin;
        Problem = problem;
    }

    /// <summary>Where the problem is.</summary>
    public HoconOrigin Origin { get; }

    /// <summary>The message without the origin prefix.</summary>
    public string Problem { get; }
}

/// <summary>The input is not valid HOCON (or JSON or properties, by its syntax), or an include cannot be read.</summary>
public sealed class HoconParseException : HoconException
{
    /// <summary>Creates a parse error.</summary>
    public HoconParseException(HoconOrigin origin, string problem, Exception? innerException = null)
        : base(origin, problem, innerException)
    {
    }
}

/// <summary>
/// Resolution failed: a substitution has no value (the message names its path), substitutions form a cycle (the
/// message names the chain), or a concatenation mixes strings with objects or arrays.
/// </summary>
public sealed class HoconResolveException : HoconException
{
    /// <summary>Creates a resolve error.</summary>
    public HoconResolveException(HoconOrigin origin, string problem, Exception? innerException = null)
        : base(origin, problem, innerException)
    {
    }
}

/// <summary>A value asked for through <see cref="HoconConfig"/> is missing, has the wrong type or a bad format.</summary>
public sealed class HoconValueException : HoconException
{
    /// <summary>Creates a value error.</summary>
    public HoconValueException(HoconOrigin origin, string problem, Exception? innerException = null)
        : base(origin, problem, innerException)
    {
    }
}
