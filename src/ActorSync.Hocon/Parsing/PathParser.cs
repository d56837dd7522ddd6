using System.Text;
using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon.Parsing;

/// <summary>
/// Builds a path from the pieces of a path expression (spec, "Path expressions"): dots outside quotes separate keys,
/// whitespace between pieces is kept, whitespace before the first and after the last piece is dropped, and an empty
/// key must be quoted (<c>a."".b</c> is fine, <c>a..b</c> is an error).
/// </summary>
internal struct PathBuilder(OriginRef origin)
{
    private List<string>? _keys;
    private StringBuilder? _current;
    private bool _currentQuoted;
    private bool _any;
    private string? _pendingWhitespace;

    public readonly bool IsEmpty => !_any;

    public void AddUnquoted(ReadOnlySpan<char> text)
    {
        FlushWhitespace();
        _any = true;
        _current ??= new StringBuilder();
        foreach (var c in text)
        {
            if (c == '.')
            {
                EndKey();
            }
            else
            {
                _current.Append(c);
            }
        }
    }

    public void AddQuoted(string text)
    {
        FlushWhitespace();
        _any = true;
        _current ??= new StringBuilder();
        _current.Append(text);
        _currentQuoted = true;
    }

    /// <summary>Whitespace counts only between pieces, so it is held until another piece follows.</summary>
    public void AddWhitespace(string text)
    {
        if (_any)
        {
            _pendingWhitespace += text;
        }
    }

    public string[] Build(string what)
    {
        if (!_any)
        {
            throw new HoconParseException(origin.ToOrigin(), $"expected {what}, found nothing");
        }

        EndKey();
        return [.. _keys!];
    }

    private void FlushWhitespace()
    {
        if (_pendingWhitespace is not null)
        {
            _current ??= new StringBuilder();
            _current.Append(_pendingWhitespace);
            _pendingWhitespace = null;
        }
    }

    private void EndKey()
    {
        _current ??= new StringBuilder();
        if (_current.Length == 0 && !_currentQuoted)
        {
            throw new HoconParseException(
                origin.ToOrigin(),
                "a path expression has an empty key (a leading, trailing or doubled '.'); quote an empty key as \"\"");
        }

        (_keys ??= []).Add(_current.ToString());
        _current.Clear();
        _currentQuoted = false;
    }
}

/// <summary>Parses a path expression given as text, e.g. for <see cref="HoconPath.Parse"/>.</summary>
internal static class PathParser
{
    public static string[] Parse(string expression, HoconOrigin origin)
    {
        OriginRef where = origin;
        var builder = new PathBuilder(where);
        var position = 0;
        while (position < expression.Length)
        {
            var c = expression[position];
            if (c == '"')
            {
                builder.AddQuoted(Tokenizer.ReadQuoted(expression, ref position, where));
            }
            else if (CharClass.IsWhitespace(c))
            {
                var start = position;
                while (position < expression.Length && CharClass.IsWhitespace(expression[position]))
                {
                    position++;
                }

                builder.AddWhitespace(expression[start..position]);
            }
            else if (CharClass.IsForbidden(c))
            {
                throw new HoconParseException(origin, $"'{c}' is not allowed in a path expression unless quoted");
            }
            else
            {
                var start = position;
                while (position < expression.Length && !CharClass.IsForbidden(expression[position]) &&
                    !CharClass.IsWhitespace(expression[position]))
                {
                    position++;
                }

                builder.AddUnquoted(expression.AsSpan(start, position - start));
            }
        }

        return builder.Build("a path");
    }
}
