namespace ActorSync.Hocon.Parsing;

internal sealed partial class Parser
{
    /// <summary>
    /// Spec, "Include syntax": <c>include "name"</c>, <c>include file("name")</c>, <c>url(...)</c>, <c>classpath(...)</c>,
    /// any of them inside <c>required(...)</c>. The included object's fields are merged here as if written in place
    /// ("Include semantics: merging").
    /// </summary>
    private void ParseInclude(HoconObject target, string[]? objectPath, Token include)
    {
        var origin = Origin(include);
        var (kind, required, name) = ParseIncludeArguments(include);
        var prefix = objectPath is null || _include.Prefix is null ? null : Append(_include.Prefix, objectPath);
        var included = _include.Load(kind, name, required, origin, prefix);
        if (included is null)
        {
            return;
        }

        if (prefix is null && !included.IsResolved)
        {
            // The reference implementation has the same limitation (resources/include-from-list.conf): substitutions in
            // the included file are relative to the include point, and an array element has no path to put first.
            throw new HoconParseException(
                origin,
                $"cannot include \"{name}\" inside an array element: it has substitutions, which are looked up relative to " +
                "the include point, and an array element has no path; include it in an object field instead");
        }

        foreach (var (key, value) in included)
        {
            target.TryGetValue(key, out var existing);
            target.Set(key, Internal.Merging.MergeInPlace(existing, value));
        }
    }

    private (IncludeKind Kind, bool Required, string Name) ParseIncludeArguments(Token include)
    {
        var kind = IncludeKind.Heuristic;
        var required = false;
        var opens = 0;
        var token = NextSignificant();
        while (token.Kind == TokenKind.UnquotedText)
        {
            var text = token.Text(_source);
            var start = 0;
            while (start < text.Length)
            {
                var paren = text.IndexOf('(', start);
                var word = paren < 0 ? text[start..] : text[start..paren];
                switch (word)
                {
                    case "required" when paren >= 0 && opens == 0:
                        required = true;
                        break;
                    case "file" or "url" or "classpath" when paren >= 0 && kind == IncludeKind.Heuristic:
                        kind = word switch { "file" => IncludeKind.File, "url" => IncludeKind.Url, _ => IncludeKind.Classpath };
                        break;
                    default:
                        throw Problem(token, $"expected a quoted file name, file(\"...\"), url(\"...\"), classpath(\"...\") or required(...) after 'include', found '{Tokenizer.Shorten(text)}' (no space is allowed before '(')");
                }

                opens++;
                start = paren + 1;
            }

            token = NextSignificant();
        }

        if (token.Kind != TokenKind.QuotedString)
        {
            throw Problem(token, $"expected a quoted file name after '{(opens == 0 ? "include" : "(")}', found {Describe(token)} (the name must be a single quoted string)");
        }

        var name = token.Text(_source);
        var closed = 0;
        while (closed < opens)
        {
            var close = NextSignificant();
            if (close.Kind != TokenKind.UnquotedText || !close.Text(_source).All(c => c == ')') || closed + close.Length > opens)
            {
                throw Problem(close, $"expected ')' to close the include's '(', found {Describe(close)}");
            }

            closed += close.Length;
        }

        return (kind, required, name);
    }
}
