using System.Text.RegularExpressions;
using ActorSync.Hocon;

namespace ActorSync.Configuration;

/// <summary>
/// Hides secrets in anything ActorSync shows: values of keys named <c>password</c>, <c>pwd</c> or <c>token</c> (also as
/// the last word of a kebab- or snake-case key, like <c>admin-token</c>), the <c>Password=</c>/<c>Pwd=</c> part of a connection
/// string, and the password in a URL's user info (<c>postgres://user:secret@host</c>). Each becomes <c>***</c>.
/// </summary>
public static partial class SecretMasker
{
    public const string Mask = "***";

    /// <summary>True for keys whose value is a secret.</summary>
    public static bool IsSecretKey(string key)
    {
        var lower = key.ToLowerInvariant();
        return lower is "password" or "pwd" or "token" || lower.EndsWith("-password", StringComparison.Ordinal) ||
            lower.EndsWith("_password", StringComparison.Ordinal) || lower.EndsWith("-token", StringComparison.Ordinal) ||
            lower.EndsWith("_token", StringComparison.Ordinal);
    }

    /// <summary>Masks passwords inside connection strings and URLs in <paramref name="text"/>.</summary>
    public static string MaskText(string text) =>
        UrlPassword().Replace(ConnectionStringPassword().Replace(text, "${key}" + Mask), "${user}" + Mask + "@");

    /// <summary>A copy of <paramref name="value"/> with every secret masked.</summary>
    public static HoconValue MaskValue(HoconValue value) => Visit(value, secret: false);

    private static HoconValue Visit(HoconValue value, bool secret) => value switch
    {
        HoconObject obj => new HoconObject(obj.Select(field => KeyValuePair.Create(field.Key, Visit(field.Value, IsSecretKey(field.Key)))), obj.Origin),
        HoconArray array => new HoconArray(array.Select(item => Visit(item, secret)), array.Origin),
        HoconNull => value,
        _ when secret => new HoconString(Mask, value.Origin),
        HoconString text => new HoconString(MaskText(text.Value), text.Origin),
        _ => value,
    };

    // Npgsql (and ADO.NET) connection strings: "Password=...;" with optional spaces and quoting.
    [GeneratedRegex("""(?<key>\b(?:password|pwd)\s*=\s*)(?:"[^"]*"|'[^']*'|[^;]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex("""(?<user>\b[a-z][a-z0-9+.\-]*://[^:/@\s]*:)[^@/\s]+@""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();
}
