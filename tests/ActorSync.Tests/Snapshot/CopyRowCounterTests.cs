using ActorSync.Snapshot;
using ActorSync.Tests.Support;

namespace ActorSync.Tests.Snapshot;

public sealed class CopyRowCounterTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Binary_rows_are_counted_whatever_the_chunk_boundaries(int chunk)
    {
        var bytes = await CopyAsync("binary");
        var counter = new CopyRowCounter(binary: true);

        for (var i = 0; i < bytes.Length; i += chunk)
        {
            counter.Feed(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
        }

        Assert.Equal(1000, counter.Rows);
    }

    [Fact]
    public async Task Text_rows_are_counted_by_line_ends_even_with_newlines_in_values()
    {
        var bytes = await CopyAsync("text");
        var counter = new CopyRowCounter(binary: false);

        counter.Feed(bytes);

        Assert.Equal(1000, counter.Rows);
    }

    private async Task<byte[]> CopyAsync(string format)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var sql = $"COPY (SELECT g, E'line\\nbreak', NULL::text, repeat('x', g % 300)::bytea FROM generate_series(1, 1000) g) TO STDOUT (FORMAT {format})";
        if (format == "text")
        {
            using var reader = await connection.BeginTextExportAsync(sql);
            return System.Text.Encoding.UTF8.GetBytes(await reader.ReadToEndAsync());
        }

        await using var output = await connection.BeginRawBinaryCopyAsync(sql);
        using var memory = new MemoryStream();
        await output.CopyToAsync(memory);
        return memory.ToArray();
    }
}
