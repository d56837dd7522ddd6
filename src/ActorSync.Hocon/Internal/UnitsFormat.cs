using System.Globalization;

namespace ActorSync.Hocon.Internal;

/// <summary>
/// Spec, "Units format": optional whitespace, a number, optional whitespace, an optional unit made of letters only,
/// optional whitespace.
/// </summary>
internal static class UnitsFormat
{
    public static bool TrySplit(string text, out decimal number, out string unit)
    {
        number = 0;
        unit = "";
        var span = text.AsSpan().Trim();
        var end = 0;
        while (end < span.Length && (char.IsAsciiDigit(span[end]) || span[end] is '.' or '-' or '+' or 'e' or 'E'))
        {
            // 'e' starts a unit ("5 ms" has none, but "1e3s"? no: "1E" would be ambiguous); only take it as an exponent
            // when a digit (or a sign and a digit) follows.
            if (span[end] is 'e' or 'E' && !(end + 1 < span.Length && (char.IsAsciiDigit(span[end + 1]) ||
                (span[end + 1] is '+' or '-' && end + 2 < span.Length && char.IsAsciiDigit(span[end + 2])))))
            {
                break;
            }

            end++;
        }

        if (end == 0 || !decimal.TryParse(span[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            return false;
        }

        var rest = span[end..].TrimStart();
        foreach (var c in rest)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }

        unit = rest.ToString();
        return true;
    }
}
