using ActorSync.Admin;
using ActorSync.Configuration;
using Microsoft.AspNetCore.Http;

namespace ActorSync.Tests.Admin;

/// <summary>The command access rules on their own: token comparison and what counts as loopback (issue 7).</summary>
public sealed class AdminAccessTests
{
    private static readonly byte[] TokenHash = AdminAccess.Hash("s3cret");

    [Theory]
    [InlineData("Bearer s3cret", true)]
    [InlineData("bearer s3cret", true)]
    [InlineData("BEARER   s3cret  ", true)]
    [InlineData("Bearer s3cre", false)]
    [InlineData("Bearer s3cret!", false)]
    [InlineData("Bearer S3CRET", false)]
    [InlineData("Bearer ", false)]
    [InlineData("Basic s3cret", false)]
    [InlineData("s3cret", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_the_bearer_scheme_with_the_exact_token_matches(string? authorization, bool matches) =>
        Assert.Equal(matches, AdminAccess.Matches(authorization, TokenHash));

    [Fact]
    public void Tokens_are_compared_as_fixed_length_hashes_so_a_guess_of_any_length_takes_the_same_path()
    {
        // FixedTimeEquals is constant-time only for inputs of equal length: both sides are SHA-256 hashes, always 32 bytes.
        Assert.Equal(32, TokenHash.Length);
        Assert.All(new[] { "", "s", "s3cret", new string('x', 10_000) }, guess => Assert.Equal(32, AdminAccess.Hash(guess).Length));
        Assert.Equal(TokenHash, AdminAccess.Hash("s3cret"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://127.0.0.2:8080", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("https://127.0.0.1:8443", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://10.1.2.3:8080", false)]
    [InlineData("http://admin.example.com:8080", false)]
    [InlineData("not a url", false)]
    public void Loopback_means_localhost_or_a_loopback_ip_never_a_wildcard(string url, bool loopback) =>
        Assert.Equal(loopback, AdminAccess.IsLoopback(url));

    [Fact]
    public void Before_the_server_has_bound_the_configured_url_decides()
    {
        var request = new DefaultHttpContext().Request;

        Assert.True(new AdminAccess(new AdminOptions { Url = "http://127.0.0.1:8080" }).Check(request).IsAllowed);
        var refused = new AdminAccess(new AdminOptions { Url = "http://0.0.0.0:8080" }).Check(request);
        Assert.Equal(StatusCodes.Status403Forbidden, refused.StatusCode);
        var unauthorized = new AdminAccess(new AdminOptions { Url = "http://127.0.0.1:8080", Token = "t" }).Check(request);
        Assert.Equal(StatusCodes.Status401Unauthorized, unauthorized.StatusCode);
        request.Headers.Authorization = "Bearer t";
        Assert.True(new AdminAccess(new AdminOptions { Url = "http://0.0.0.0:8080", Token = "t" }).Check(request).IsAllowed);
    }
}
