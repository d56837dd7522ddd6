namespace ActorSync.Hocon.Internal;

/// <summary>
/// A parsed text and the name origins give it. Values read from it keep only an offset into it (<see cref="OriginRef"/>)
/// and get their line and column from here when someone asks (an error, <c>TryGetOrigin</c>): counting lines while
/// tokenizing, and storing them in every value, costs more than finding them the few times they are needed.
/// </summary>
internal sealed class SourceText
{
    private readonly int _firstLineStart;
    private int[]? _lineStarts;

    /// <param name="description">The name in origins.</param>
    /// <param name="text">The text.</param>
    /// <param name="firstLineStart">Where column 1 of the first line is: 1 after a JSON byte order mark, else 0.</param>
    public SourceText(string description, string text, int firstLineStart = 0)
    {
        Description = description;
        Text = text;
        _firstLineStart = firstLineStart;
    }

    public string Description { get; }

    public string Text { get; }

    /// <summary>
    /// The line (1 + the newlines before <paramref name="offset"/>) and the column (1 + the UTF-16 code units from the
    /// start of the line).
    /// </summary>
    public HoconOrigin OriginAt(int offset)
    {
        // Two threads may both build the table; they build equal ones and either may be kept.
        var starts = _lineStarts ??= LineStarts();
        var line = Array.BinarySearch(starts, offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        line = Math.Max(line, 0);
        return new HoconOrigin(Description, line + 1, offset - starts[line] + 1);
    }

    private int[] LineStarts()
    {
        var text = Text.AsSpan();
        var starts = new List<int>(text.Count('\n') + 1) { _firstLineStart };
        var index = 0;
        while (text[index..].IndexOf('\n') is var next and >= 0)
        {
            index += next + 1;
            starts.Add(index);
        }

        return [.. starts];
    }
}
