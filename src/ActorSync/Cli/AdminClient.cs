using System.CommandLine;
using System.Net;
using System.Text.Json;
using ActorSync.Admin;
using ActorSync.Configuration;

namespace ActorSync.Cli;

/// <summary>
/// The admin endpoint as the CLI's <c>status</c>, <c>health</c>, <c>pause</c>, <c>resume</c> and <c>resync</c> reach
/// it. The address is <c>--url</c>, else <c>ACTORSYNC_ADMIN_URL</c>, else <c>admin.url</c> of the configuration
/// (<c>--config</c>, <c>ACTORSYNC_CONFIG</c>, or <c>config/actorsync.conf</c> when it exists), else
/// <c>http://127.0.0.1:8080</c>. A wildcard host (<c>0.0.0.0</c>, <c>*</c>) is reached on loopback.
/// </summary>
public sealed class AdminClient : IDisposable
{
    public const string UrlVariable = "ACTORSYNC_ADMIN_URL";

    public const string TokenVariable = "ACTORSYNC_ADMIN_TOKEN";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;

    public AdminClient(Uri baseAddress) => _http = new HttpClient { BaseAddress = baseAddress, Timeout = RequestTimeout };

    public Uri BaseAddress => _http.BaseAddress!;

    public static Option<string?> CreateUrlOption() => new("--url")
    {
        Description = $"The admin endpoint (default: ${UrlVariable}, else admin.url of the configuration, else {new AdminOptions().Url}).",
    };

    /// <summary>
    /// Finds the address, or prints why it cannot (a bad URL, an unreadable configuration) on stderr and returns null:
    /// the caller exits 2. Also returns the configuration when one was read (for its <c>admin.token</c>).
    /// </summary>
    public static async Task<(AdminClient? Client, ActorSyncConfiguration? Configuration)> CreateAsync(
        ParseResult parseResult, Option<string?> url, Option<string?> config, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        ActorSyncConfiguration? configuration = null;
        var text = parseResult.GetValue(url);
        if (string.IsNullOrWhiteSpace(text))
        {
            text = Environment.GetEnvironmentVariable(UrlVariable);
        }

        var explicitConfig = parseResult.GetValue(config);
        var location = ConfigFileLocator.Locate(explicitConfig);
        if (string.IsNullOrWhiteSpace(text) || !string.IsNullOrWhiteSpace(explicitConfig))
        {
            if (location.ChosenBy != "default" || File.Exists(location.Path))
            {
                configuration = await CliConfig.LoadAsync(parseResult, config, cancellationToken);
                if (configuration is null)
                {
                    return (null, null);
                }
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                text = configuration?.Options.Admin.Url ?? new AdminOptions().Url;
            }
        }

        if (ToClientAddress(text) is not { } address)
        {
            await error.WriteLineAsync(
                $"'{text}' is not an http:// or https:// address, such as http://127.0.0.1:8080".AsMemory(), cancellationToken);
            return (null, null);
        }

        return (new AdminClient(address), configuration);
    }

    /// <summary>The address a client uses for a listening address: wildcards become loopback.</summary>
    public static Uri? ToClientAddress(string listening)
    {
        var text = listening.Trim()
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        var builder = new UriBuilder(uri) { Path = "/" };
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)))
        {
            builder.Host = ip.Equals(IPAddress.Any) ? "127.0.0.1" : "[::1]";
        }

        return builder.Uri;
    }

    public static Option<string?> CreateTokenOption() => new("--token")
    {
        Description = $"The admin bearer token (default: ${TokenVariable}, else admin.token of the configuration).",
    };

    /// <summary>The bearer token: <c>--token</c>, else <c>ACTORSYNC_ADMIN_TOKEN</c>, else <c>admin.token</c> of the configuration.</summary>
    public static string? ResolveToken(ParseResult parseResult, Option<string?> token, ActorSyncConfiguration? configuration)
    {
        var bearer = parseResult.GetValue(token);
        if (string.IsNullOrEmpty(bearer))
        {
            bearer = Environment.GetEnvironmentVariable(TokenVariable);
        }

        return string.IsNullOrEmpty(bearer) ? configuration?.Options.Admin.Token : bearer;
    }

    public Task<AdminAnswer> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<AdminAnswer> GetAsync(string path, string? token, CancellationToken cancellationToken) =>
        SendAsync(Authorized(new HttpRequestMessage(HttpMethod.Get, path), token), cancellationToken);

    public Task<AdminAnswer> PostAsync(string path, string? token, CancellationToken cancellationToken) =>
        SendAsync(Authorized(new HttpRequestMessage(HttpMethod.Post, path), token), cancellationToken);

    private static HttpRequestMessage Authorized(HttpRequestMessage request, string? token)
    {
        if (!string.IsNullOrEmpty(token))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    public void Dispose() => _http.Dispose();

    private async Task<AdminAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await _http.SendAsync(request, cancellationToken);
                return new AdminAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken), null);
            }
            catch (HttpRequestException unreachable)
            {
                return new AdminAnswer(null, "", $"cannot reach the admin endpoint at {BaseAddress}: {unreachable.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new AdminAnswer(null, "", $"the admin endpoint at {BaseAddress} did not answer within {RequestTimeout.TotalSeconds:0} s");
            }
        }
    }
}

/// <summary>What the admin endpoint answered, or why it could not be reached (<see cref="Status"/> is null then).</summary>
public sealed record AdminAnswer(HttpStatusCode? Status, string Body, string? Unreachable)
{
    /// <summary>The <c>error</c> of a JSON error body, else the body itself, else the status.</summary>
    public string ErrorMessage
    {
        get
        {
            var fallback = string.IsNullOrWhiteSpace(Body) ? $"HTTP {(int?)Status} {Status}" : Body.Trim();
            try
            {
                return JsonSerializer.Deserialize(Body, AdminJsonContext.Default.ErrorResponse)?.Error ?? fallback;
            }
            catch (JsonException)
            {
                return fallback; // not JSON: show the body as it came
            }
        }
    }
}
