using ActorSync.Configuration;

namespace ActorSync.Tests.Configuration;

public sealed class TableNameTests
{
    [Theory]
    [InlineData("main:public.orders", "main", "public", "orders")]
    [InlineData("main:orders", "main", "public", "orders")]
    [InlineData("main:Public.Orders", "main", "public", "orders")]
    [InlineData("main:\"Public\".\"Orders\"", "main", "Public", "Orders")]
    [InlineData("src:public.\"My \"\"Odd\"\" Table\"", "src", "public", "My \"Odd\" Table")]
    [InlineData("src:public.\"x\"\"; DROP TABLE y; --\"", "src", "public", "x\"; DROP TABLE y; --")]
    [InlineData("src:\"a.b\".\"c:d\"", "src", "a.b", "c:d")]
    [InlineData("src: sales . line_items ", "src", "sales", "line_items")]
    [InlineData("src:public.Straße", "src", "public", "straße")]
    [InlineData("src:public.\"select\"", "src", "public", "select")]
    [InlineData("src:t$1", "src", "public", "t$1")]
    public void Names_follow_sql_rules(string text, string database, string schema, string table)
    {
        var name = TableName.Parse(text);

        Assert.Equal(new TableName(database, schema, table), name);
    }

    [Theory]
    [InlineData("orders", "found no ':'")]
    [InlineData(":public.orders", "database name before ':' is empty")]
    [InlineData("main:", "missing name")]
    [InlineData("main:public.", "missing name")]
    [InlineData("main:a.b.c", "3 dot-separated parts")]
    [InlineData("main:public.\"open", "unterminated quoted name")]
    [InlineData("main:public.\"\"", "empty quoted name")]
    [InlineData("main:public.my table", "unexpected 't'")]
    [InlineData("main:public.1abc", "unexpected '1'")]
    [InlineData("main:public.x;drop", "unexpected ';'")]
    public void Bad_names_are_refused_with_what_was_expected(string text, string fragment)
    {
        Assert.False(TableName.TryParse(text, out var name, out var error));
        Assert.Null(name);
        Assert.Contains(TableName.ExpectedForm, error, StringComparison.Ordinal);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_longer_than_63_bytes_are_refused_instead_of_truncated()
    {
        Assert.False(TableName.TryParse("main:public." + new string('a', 64), out _, out var error));
        Assert.Contains("63 bytes", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("main:public.orders")]
    [InlineData("src:public.\"My \"\"Odd\"\" Table\"")]
    [InlineData("src:\"Sales\".\"select\"")]
    public void ToString_round_trips(string text)
    {
        var name = TableName.Parse(text);

        Assert.Equal(name, TableName.Parse(name.ToString()));
    }

    [Fact]
    public void Quoted_name_is_always_quoted()
    {
        Assert.Equal("\"public\".\"My \"\"Odd\"\" Table\"", TableName.Parse("src:public.\"My \"\"Odd\"\" Table\"").QuotedName);
    }
}
