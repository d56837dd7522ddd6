using System.Globalization;
using System.Text.Json;

namespace ActorSync.Hocon.Tests.Support;

/// <summary>
/// Compares a resolved value with expected JSON as trees: object key order does not matter, numbers compare by value
/// (42 equals 42.0, as upstream's own equality has it).
/// </summary>
public static class JsonTree
{
    /// <summary>Null when equal; otherwise the path of the first difference and what differs.</summary>
    public static string? Difference(JsonElement expected, HoconValue actual, string path = "$")
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object when actual is HoconObject obj:
                foreach (var property in expected.EnumerateObject())
                {
                    if (!obj.TryGetValue(property.Name, out var child))
                    {
                        return $"{path}: missing key '{property.Name}'";
                    }

                    if (Difference(property.Value, child, $"{path}.{property.Name}") is { } difference)
                    {
                        return difference;
                    }
                }

                var extra = obj.Keys.Except(expected.EnumerateObject().Select(p => p.Name)).ToArray();
                return extra.Length == 0 ? null : $"{path}: unexpected keys {string.Join(", ", extra)}";
            case JsonValueKind.Array when actual is HoconArray array:
                if (array.Count != expected.GetArrayLength())
                {
                    return $"{path}: expected {expected.GetArrayLength()} elements, found {array.Count}: {actual.ToJson()}";
                }

                return expected.EnumerateArray().Select((item, i) => Difference(item, array[i], $"{path}[{i}]")).FirstOrDefault(d => d is not null);
            case JsonValueKind.String when actual is HoconString text:
                return text.Value == expected.GetString() ? null : $"{path}: expected \"{expected.GetString()}\", found \"{text.Value}\"";
            case JsonValueKind.Number when actual is HoconNumber number:
                return SameNumber(expected.GetRawText(), number.Text) ? null : $"{path}: expected {expected.GetRawText()}, found {number.Text}";
            case JsonValueKind.True when actual is HoconBoolean { Value: true }:
            case JsonValueKind.False when actual is HoconBoolean { Value: false }:
            case JsonValueKind.Null when actual is HoconNull:
                return null;
            default:
                return $"{path}: expected {expected.GetRawText()}, found {actual.ToJson()}";
        }
    }

    private static bool SameNumber(string expected, string actual) =>
        decimal.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) &&
        decimal.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
            ? a == b
            : double.Parse(expected, CultureInfo.InvariantCulture) == double.Parse(actual, CultureInfo.InvariantCulture);
}
