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
    private HoconValue ParseValue(Token first, LazyPath path)
    {
        if (_json)
        {
            return ParseSingleValue(first, path);
        }

        var pendingSimple = default(Token);
        var hasPending = false;
        HoconValue? single = null;
        List<HoconValue>? pieces = null;
        var runOrigin = default(HoconOrigin);
        var runQuoted = false;
        var runActive = false;
        var token = first;
        while (true)
        {
            if (IsSimple(token))
            {
                if (!hasPending && !runActive && single is null && pieces is null)
                {
                    pendingSimple = token;
                    hasPending = true;
                }
                else
                {
                    AppendToRun(token);
                }
            }
            else
            {
                FlushRun();
                var piece = ParseSingleValue(token, path);
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

            var next = Next();
            if (next.Kind == TokenKind.Whitespace)
            {
                var after = Next();
                if (!after.StartsValue)
                {
                    PushBack(after);
                    break;
                }

                AppendToRun(next);
                token = after;
            }
            else if (next.StartsValue)
            {
                token = next;
            }
            else
            {
                PushBack(next);
                break;
            }
        }

        if (hasPending)
        {
            // A single simple value keeps its type (spec: "A single value is never converted to a string").
            return ParseSingleValue(pendingSimple, path);
        }

        if (single is not null && pieces is null && !runActive)
        {
            return single;
        }

        if (single is null && pieces is null)
        {
            var text = new HoconString(_run.ToString(), runOrigin, quoted: true);
            _run.Clear();
            return text;
        }

        FlushRun();
        pieces ??= [single!];
        return Concatenate(pieces);

        void AppendToRun(Token piece)
        {
            if (hasPending)
            {
                hasPending = false;
                AppendToRun(pendingSimple);
            }

            if (!runActive)
            {
                runActive = true;
                runQuoted = false;
                runOrigin = Origin(piece);
            }

            runQuoted |= piece.Kind == TokenKind.QuotedString;
            if (piece.Value is not null)
            {
                _run.Append(piece.Value);
            }
            else
            {
                _run.Append(_source, piece.Start, piece.Length);
            }
        }

        // Whitespace alone keeps its unquoted mark: next to objects and arrays it is ignored.
        void FlushRun()
        {
            if (hasPending)
            {
                hasPending = false;
                AppendToRun(pendingSimple);
            }

            if (!runActive)
            {
                return;
            }

            var piece = new HoconString(_run.ToString(), runOrigin, runQuoted);
            _run.Clear();
            runActive = false;
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

    private HoconValue ParseSingleValue(Token token, LazyPath path) => token.Kind switch
    {
        TokenKind.OpenBrace => ParseObject(braced: true, path.Materialize(), Origin(token)),
        TokenKind.OpenBracket => ParseArray(Origin(token)),
        TokenKind.QuotedString => new HoconString(token.Value!, Origin(token), quoted: true),
        TokenKind.UnquotedText => new HoconString(token.Text(_source), Origin(token), quoted: false),
        TokenKind.Number => new HoconNumber(token.Text(_source), Origin(token), validated: true),
        TokenKind.True => new HoconBoolean(true, Origin(token)),
        TokenKind.False => new HoconBoolean(false, Origin(token)),
        TokenKind.Null => new HoconNull(Origin(token)),
        TokenKind.Substitution => new Substitution(token.Path!, token.Optional, _include.Prefix, Origin(token)),
        _ => throw Problem(token, $"expected a value, found {Describe(token)}"),
    };

    /// <summary>
    /// Joins a concatenation whose pieces are all known: strings into one string (whitespace between them kept),
    /// objects by merging, arrays by appending. With a substitution among the pieces it is left to the resolver.
    /// </summary>
    private HoconValue Concatenate(List<HoconValue> pieces)
    {
        var origin = pieces[0].Origin;
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
                foreach (var item in rightArray.Items)
                {
                    leftArray.Add(item);
                }

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
