using ActorSync.Hocon.Internal;
using ActorSync.Hocon.Resolution;

namespace ActorSync.Hocon.Parsing;

internal sealed partial class Parser
{
    /// <summary>
    /// A value, or a concatenation of values separated only by non-newline whitespace (spec, "Value concatenation").
    /// Simple values (strings, numbers, booleans, null) and the whitespace between them are collected as text, so a
    /// concatenation such as <c>5s</c> or <c>foo bar</c> costs one string; only objects, arrays and substitutions
    /// become pieces of their own.
    /// </summary>
    private HoconValue ParseValue(Token first)
    {
        if (_json)
        {
            return ParseSingleValue(first);
        }

        // Most values are one token followed by a newline, a comma or a closing brace: no concatenation to set up. A
        // single simple value keeps its type (spec: "A single value is never converted to a string").
        var simple = IsSimple(first);
        var value = simple ? null : ParseSingleValue(first);
        var next = Next();
        if (!next.StartsValue)
        {
            PushBack(next);
            return value ?? ParseSingleValue(first);
        }

        return ParseConcatenation(first, value, next);
    }

    /// <summary>
    /// The rest of a concatenation: <paramref name="first"/> is its first token (already parsed into
    /// <paramref name="firstValue"/> unless it is simple), <paramref name="second"/> the token after it.
    /// </summary>
    private HoconValue ParseConcatenation(Token first, HoconValue? firstValue, Token second)
    {
        var pendingSimple = first;
        var hasPending = firstValue is null;
        var single = firstValue;
        List<HoconValue>? pieces = null;

        // The run of simple values being joined: its pieces lie next to each other in the source, so unless a quoted
        // string (whose value differs from its source text) is among them, the run is a slice of the source and needs
        // no builder.
        var runOrigin = default(OriginRef);
        var runQuoted = false;
        var runActive = false;
        var runBuilding = false;
        var runStart = 0;
        var runEnd = 0;
        var token = second;
        while (true)
        {
            if (token.HasSpaceBefore)
            {
                AppendSpace(token);
            }

            if (IsSimple(token))
            {
                AppendToRun(token);
            }
            else
            {
                FlushRun();
                var piece = ParseSingleValue(token);
                if (single is null && pieces is null)
                {
                    single = piece;
                }
                else
                {
                    pieces ??= [single!];
                    pieces.Add(piece);
                }
            }

            token = Next();
            if (!token.StartsValue)
            {
                PushBack(token);
                break;
            }
        }

        if (single is not null && pieces is null && !runActive)
        {
            return single;
        }

        if (single is null && pieces is null)
        {
            return TakeRun(quoted: true);
        }

        FlushRun();
        pieces ??= [single!];
        return Concatenate(pieces);

        void AppendToRun(Token piece)
        {
            FlushPending();
            StartRun(piece.Start, Where(piece));
            if (piece.Kind == TokenKind.QuotedString)
            {
                runQuoted = true;
                BeginBuilding();
                if (piece.Value is { } value)
                {
                    _run.Append(value);
                }
                else
                {
                    _run.Append(_source, piece.ContentStart, piece.ContentLength);
                }
            }
            else if (runBuilding)
            {
                _run.Append(_source, piece.Start, piece.Length);
            }

            runEnd = piece.Start + piece.Length;
        }

        // Whitespace between two values on a line is kept, as unquoted text.
        void AppendSpace(Token before)
        {
            FlushPending();
            var length = before.Start - before.SpaceStart;
            StartRun(before.SpaceStart, new OriginRef(_tokens.SourceText, before.SpaceStart));
            if (runBuilding)
            {
                _run.Append(_source, before.SpaceStart, length);
            }

            runEnd = before.Start;
        }

        void FlushPending()
        {
            if (hasPending)
            {
                hasPending = false;
                AppendToRun(pendingSimple);
            }
        }

        void StartRun(int start, OriginRef origin)
        {
            if (!runActive)
            {
                runActive = true;
                runQuoted = false;
                runBuilding = false;
                runStart = start;
                runEnd = start;
                runOrigin = origin;
            }
        }

        void BeginBuilding()
        {
            if (!runBuilding)
            {
                runBuilding = true;
                _run.Append(_source, runStart, runEnd - runStart);
            }
        }

        HoconString TakeRun(bool quoted)
        {
            runActive = false;
            if (!runBuilding)
            {
                return new HoconString(runOrigin, runEnd - runStart, quoted);
            }

            var text = _run.ToString();
            _run.Clear();
            return new HoconString(text, runOrigin, quoted);
        }

        // Whitespace alone keeps its unquoted mark: next to objects and arrays it is ignored.
        void FlushRun()
        {
            FlushPending();
            if (!runActive)
            {
                return;
            }

            var piece = TakeRun(runQuoted);
            if (single is null && pieces is null)
            {
                single = piece;
            }
            else
            {
                pieces ??= [single!];
                pieces.Add(piece);
            }
        }
    }

    private static bool IsSimple(Token token) => token.Kind is TokenKind.QuotedString or TokenKind.UnquotedText or TokenKind.Number
        or TokenKind.True or TokenKind.False or TokenKind.Null;

    private HoconValue ParseSingleValue(Token token) => token.Kind switch
    {
        TokenKind.OpenBrace => ParseObject(braced: true, Where(token)),
        TokenKind.OpenBracket => ParseArray(Where(token)),
        TokenKind.QuotedString => token.Value is { } value
            ? new HoconString(value, Where(token), quoted: true)
            : new HoconString(Where(token), token.ContentLength, quoted: true),
        TokenKind.UnquotedText => new HoconString(Where(token), token.Length, quoted: false),
        TokenKind.Number => new HoconNumber(Where(token), token.Length),
        TokenKind.True => new HoconBoolean(true, Where(token)),
        TokenKind.False => new HoconBoolean(false, Where(token)),
        TokenKind.Null => new HoconNull(Where(token)),
        TokenKind.Substitution => new Substitution(token.Path!, token.Optional, _include.Prefix, Where(token)),
        _ => throw Problem(token, $"expected a value, found {Describe(token)}"),
    };

    /// <summary>
    /// Joins a concatenation whose pieces are all known: strings into one string (whitespace between them kept),
    /// objects by merging, arrays by appending. With a substitution among the pieces it is left to the resolver.
    /// </summary>
    private HoconValue Concatenate(List<HoconValue> pieces)
    {
        var origin = pieces[0].OriginRef;
        if (pieces.Exists(piece => piece is Substitution))
        {
            return new Concatenation(pieces, origin);
        }

        HoconValue? container = null;
        var simple = false;
        foreach (var piece in pieces)
        {
            if (piece is HoconString { IsIgnorableWhitespace: true })
            {
                continue;
            }

            if (piece.IsContainer)
            {
                container = container is null ? piece : JoinContainers(container, piece);
            }
            else
            {
                simple = true;
            }
        }

        if (container is not null && simple)
        {
            throw new HoconParseException(
                container.Origin,
                $"cannot concatenate {(container is HoconArray ? "an array" : "an object")} with a string, number, boolean or null " +
                "(spec, \"Value concatenation\"); put them in separate fields or quote the text");
        }

        return container ?? new HoconString(string.Concat(pieces.Select(piece => piece.ToString())), origin, quoted: true);
    }

    private static HoconValue JoinContainers(HoconValue left, HoconValue right)
    {
        switch (left, right)
        {
            case (HoconObject, HoconObject):
                return Merging.MergeInPlace(left, right);
            case (HoconArray leftArray, HoconArray rightArray):
                leftArray.AddAll(rightArray);

                return leftArray;
            case (HoconArray leftArray, HoconObject rightObject) when Merging.NumericObjectToArray(rightObject) is { } converted:
                return JoinContainers(leftArray, converted);
            case (HoconObject leftObject, HoconArray) when Merging.NumericObjectToArray(leftObject) is { } converted:
                return JoinContainers(converted, right);
            default:
                throw new HoconParseException(right.Origin, "cannot concatenate an object with an array (spec, \"Array and object concatenation\")");
        }
    }
}
