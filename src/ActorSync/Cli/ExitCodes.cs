namespace ActorSync.Cli;

/// <summary>The CLI's exit codes (DESIGN.md, "Surfaces").</summary>
public static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Ok = 0;

    /// <summary>A runtime failure: a database error, a failing sync, a verdict that did not match.</summary>
    public const int Failure = 1;

    /// <summary>Bad input: configuration or arguments. Nothing was changed.</summary>
    public const int BadInput = 2;

    /// <summary>The service could not be reached (<c>actorsync status</c>, <c>actorsync health</c>).</summary>
    public const int Unreachable = 3;
}
