using System.Net;
using System.Security.Cryptography;
using System.Text;
using ActorSync.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace ActorSync.Admin;

/// <summary>
/// Who may pause, resume and resync (issue 7). With <c>admin.token</c> configured: a request carrying
/// <c>Authorization: Bearer &lt;token&gt;</c>, compared in constant time. Without one: any local program, but only while
/// the endpoint listens on loopback addresses alone; bound to any other address it refuses every command (403), because
/// anyone on the network could send them. Even on loopback a request from a web page (it carries <c>Origin</c>) is refused
/// without a token: any page open in a browser on the machine may POST to 127.0.0.1 without a CORS preflight (issue 9).
/// </summary>
public sealed class AdminAccess
{
    private readonly byte[]? _tokenHash;
    private readonly AdminOptions _options;
    private readonly IServer? _server;

    public AdminAccess(AdminOptions options, IServer? server = null)
    {
        _options = options;
        _server = server;
        _tokenHash = string.IsNullOrEmpty(options.Token) ? null : Hash(options.Token);
    }

    /// <summary>The verdict on a command request; <see cref="AccessVerdict.Allowed"/> lets it run.</summary>
    public AccessVerdict Check(HttpRequest request)
    {
        if (_tokenHash is not null)
        {
            return Matches(request.Headers.Authorization.ToString(), _tokenHash)
                ? AccessVerdict.Allowed
                : new AccessVerdict(StatusCodes.Status401Unauthorized, "a valid bearer token is required (Authorization: Bearer <admin.token>)");
        }

        if (!ListensOnLoopbackOnly())
        {
            return new AccessVerdict(
                StatusCodes.Status403Forbidden,
                "commands are refused: the admin endpoint listens on a non-loopback address and no admin.token is configured");
        }

        // Browsers send Origin with every POST, same-origin or not; the CLI, curl and scripts do not.
        return request.Headers.Origin.Count == 0
            ? AccessVerdict.Allowed
            : new AccessVerdict(
                StatusCodes.Status403Forbidden,
                "commands from a web page are refused unless admin.token is configured (any page open on this machine could send them)");
    }

    /// <summary>
    /// True when <paramref name="authorization"/> is <c>Bearer &lt;token&gt;</c> for the token hashed as
    /// <paramref name="tokenHash"/>.
    /// </summary>
    public static bool Matches(string? authorization, byte[] tokenHash)
    {
        const string Scheme = "Bearer ";
        var presented = authorization is not null && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[Scheme.Length..].Trim()
            : "";

        // Both sides are hashed first, so FixedTimeEquals always compares 32 bytes: neither the token's content nor its
        // length shows in the time a wrong guess takes.
        return CryptographicOperations.FixedTimeEquals(Hash(presented), tokenHash);
    }

    /// <summary>The SHA-256 of a token, as <see cref="Matches"/> compares it.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>What protects the commands, for the startup log line.</summary>
    public string Describe() => _tokenHash is not null
        ? "bearer token required"
        : ListensOnLoopbackOnly() ? "loopback only, no token" : "refused (no admin.token on a non-loopback address)";

    /// <summary>
    /// True when every address the server listens on is a loopback one. Reads the addresses Kestrel actually bound
    /// (falls back to <c>admin.url</c> before it has): <c>localhost</c> and 127.0.0.0/8 or ::1 are loopback; a wildcard
    /// (<c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, <c>+</c>) or any other host is not.
    /// </summary>
    public bool ListensOnLoopbackOnly()
    {
        var bound = _server?.Features.Get<IServerAddressesFeature>()?.Addresses;
        IEnumerable<string> addresses = bound is { Count: > 0 } ? bound : [_options.Url];
        return addresses.All(IsLoopback);
    }

    public static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }

        var host = address.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}

/// <summary>The verdict on a command request: allowed, or the status code and the reason to refuse with.</summary>
public sealed record AccessVerdict(int StatusCode, string? Refusal)
{
    public static readonly AccessVerdict Allowed = new(StatusCodes.Status200OK, null);

    public bool IsAllowed => Refusal is null;
}
