using ActorSync.Configuration;
using ActorSync.Hocon;

namespace ActorSync.Tests.Configuration;

public sealed class SecretMaskerTests
{
    [Theory]
    [InlineData("Host=db;Password=hunter2;Port=5432", "Host=db;Password=***;Port=5432")]
    [InlineData("Host=db; pwd = hunter2", "Host=db; pwd = ***")]
    [InlineData("Host=db;PASSWORD=\"a;b\";x=1", "Host=db;PASSWORD=***;x=1")]
    [InlineData("postgres://sync:hunter2@db:5432/app", "postgres://sync:***@db:5432/app")]
    [InlineData("Host=db;Username=sync", "Host=db;Username=sync")]
    public void Passwords_in_connection_strings_and_urls_are_masked(string text, string masked)
    {
        Assert.Equal(masked, SecretMasker.MaskText(text));
    }

    [Fact]
    public void Values_of_password_and_token_keys_are_masked_everywhere_in_a_document()
    {
        var value = HoconParser.Parse("a { password = hunter2, admin-token = 42, list = [{ token = t }], cs = \"Password=p\", name = x, none = null }").Resolve();
        Assert.Equal(
            """{"a":{"password":"***","admin-token":"***","list":[{"token":"***"}],"cs":"Password=***","name":"x","none":null}}""",
            SecretMasker.MaskValue(value).ToJson());
    }
}
