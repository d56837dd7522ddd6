using System.Diagnostics.CodeAnalysis;
using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon;

/// <summary>
/// A resolved configuration: the root object plus typed access by path expression (<c>"a.b.c"</c>), with the spec's
/// automatic conversions ("Automatic type conversions"): strings to numbers and booleans (<c>yes</c>/<c>no</c>,
/// <c>on</c>/<c>off</c> too), numbers and booleans to strings, numerically-indexed objects to lists, durations and sizes
/// from their units format. Errors are <see cref="HoconValueException"/>s at the value's origin.
/// </summary>
public sealed class HoconConfig
{
    /// <summary>Wraps a resolved root object.</summary>
    public HoconConfig(HoconObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        Root = root;
    }

    /// <summary>The root object.</summary>
    public HoconObject Root { get; }

    /// <summary>True when <paramref name="path"/> has a value other than null.</summary>
    public bool HasPath(string path) => TryGetValue(path, out var value) && value is not HoconNull;

    /// <summary>Gets the value at <paramref name="path"/>, null included.</summary>
    public bool TryGetValue(string path, [MaybeNullWhen(false)] out HoconValue value) => TryGetValue(HoconPath.Parse(path), out value, out _);

    /// <summary>The value at <paramref name="path"/>.</summary>
    /// <exception cref="HoconValueException">There is no value at the path.</exception>
    public HoconValue GetValue(string path)
    {
        var parsed = HoconPath.Parse(path);
        return TryGetValue(parsed, out var value, out var deepest)
            ? value
            : throw new HoconValueException(deepest.Origin, $"no value at '{parsed}'");
    }

    /// <summary>A string; numbers and booleans are converted.</summary>
    public string GetString(string path) => GetValue(path) switch
    {
        HoconString text => text.Value,
        HoconNumber number => number.Text,
        HoconBoolean boolean => boolean.ToString(),
        var value => throw WrongType(path, value, "a string"),
    };

    /// <summary>A boolean; the strings true/yes/on and false/no/off are converted.</summary>
    public bool GetBoolean(string path) => GetValue(path) switch
    {
        HoconBoolean boolean => boolean.Value,
        HoconString { Value: "true" or "yes" or "on" } => true,
        HoconString { Value: "false" or "no" or "off" } => false,
        var value => throw WrongType(path, value, "a boolean (true/false, yes/no, on/off)"),
    };

    /// <summary>A 64-bit integer; a string holding one is converted.</summary>
    public long GetInt64(string path) =>
        AsNumber(path, GetValue(path), "a whole number") is var (number, value) && number.TryGetInt64(out var result)
            ? result
            : throw WrongType(path, value, "a whole number");

    /// <summary>A 32-bit integer; a string holding one is converted.</summary>
    public int GetInt32(string path) =>
        AsNumber(path, GetValue(path), "a whole number in the 32-bit range") is var (number, value) && number.TryGetInt32(out var result)
            ? result
            : throw WrongType(path, value, "a whole number in the 32-bit range");

    /// <summary>A number as a double; a string holding one is converted.</summary>
    public double GetDouble(string path) => AsNumber(path, GetValue(path), "a number").Number.ToDouble();

    /// <summary>A duration: a number is milliseconds, a string is parsed with <see cref="HoconDuration"/>.</summary>
    public TimeSpan GetDuration(string path)
    {
        var value = GetValue(path);
        var text = value is HoconNumber or HoconString ? value.ToString() : null;
        return HoconDuration.TryParse(text, out var duration, out var error)
            ? duration
            : throw new HoconValueException(value.Origin, $"{path}: {error}");
    }

    /// <summary>A size in bytes: a number is bytes, a string is parsed with <see cref="HoconSize"/>.</summary>
    public long GetSizeInBytes(string path)
    {
        var value = GetValue(path);
        var text = value is HoconNumber or HoconString ? value.ToString() : null;
        return HoconSize.TryParse(text, out var bytes, out var error)
            ? bytes
            : throw new HoconValueException(value.Origin, $"{path}: {error}");
    }

    /// <summary>An object.</summary>
    public HoconObject GetObject(string path) => GetValue(path) as HoconObject ?? throw WrongType(path, GetValue(path), "an object");

    /// <summary>The object at <paramref name="path"/> as a configuration of its own.</summary>
    public HoconConfig GetConfig(string path) => new(GetObject(path));

    /// <summary>A list; an object with numeric keys converts to one (spec, "Conversion of numerically-indexed objects to arrays").</summary>
    public IReadOnlyList<HoconValue> GetList(string path) => GetValue(path) switch
    {
        HoconArray array => array,
        HoconObject obj when Merging.NumericObjectToArray(obj) is { } converted => converted,
        var value => throw WrongType(path, value, "a list"),
    };

    /// <summary>A list of strings; numbers and booleans in it are converted.</summary>
    public IReadOnlyList<string> GetStringList(string path) => GetList(path)
        .Select((item, index) => item is HoconString or HoconNumber or HoconBoolean
            ? item.ToString()!
            : throw WrongType($"{path}[{index}]", item, "a string"))
        .ToArray();

    /// <summary>The root as JSON.</summary>
    public string ToJson(bool indented = false) => Root.ToJson(indented);

    private bool TryGetValue(HoconPath path, [MaybeNullWhen(false)] out HoconValue value, out HoconValue deepest)
    {
        HoconValue current = Root;
        deepest = Root;
        foreach (var key in path)
        {
            if (current is not HoconObject obj || !obj.TryGetValue(key, out var child))
            {
                deepest = current;
                value = null;
                return false;
            }

            current = child;
        }

        value = current;
        return true;
    }

    private static (HoconNumber Number, HoconValue Value) AsNumber(string path, HoconValue value, string expected) => value switch
    {
        HoconNumber number => (number, value),
        HoconString text when CharClass.IsJsonNumber(text.Value.AsSpan().Trim()) =>
            (new HoconNumber(text.Value.Trim(), text.Origin), value),
        _ => throw WrongType(path, value, expected),
    };

    private static HoconValueException WrongType(string path, HoconValue value, string expected) =>
        new(value.Origin, $"{path}: expected {expected}, found {Describe(value)}");

    internal static string Describe(HoconValue value) => value switch
    {
        HoconObject => "an object",
        HoconArray => "a list",
        HoconNull => "null",
        HoconBoolean boolean => boolean.Value ? "true" : "false",
        HoconNumber number => $"the number {number.Text}",
        HoconString text => $"the string '{Parsing.Tokenizer.Shorten(text.Value)}'",
        _ => "an unresolved value",
    };
}
