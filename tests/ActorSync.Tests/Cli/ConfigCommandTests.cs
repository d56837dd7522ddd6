using System.Text.Json;
using ActorSync.Cli;
using ActorSync.Tests.Configuration;

namespace ActorSync.Tests.Cli;

public sealed class ConfigCommandTests : IDisposable
{
    private readonly ConfigurationFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await ActorSyncCli.InvokeAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Render_prints_any_hocon_file_resolved_as_json_with_secrets_masked()
    {
        var path = _files.Write("db { url = \"Host=x;Password=hunter2\", password = hunter2 }\nport = 5432\nmirror = ${port}\nlist = [1] [2]", "any.conf");
        var (exitCode, output, error) = await Run("config", "render", path);
        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Empty(error);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("Host=x;Password=***", json.RootElement.GetProperty("db").GetProperty("url").GetString());
        Assert.Equal("***", json.RootElement.GetProperty("db").GetProperty("password").GetString());
        Assert.Equal(5432, json.RootElement.GetProperty("mirror").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("list").GetArrayLength());
    }

    [Fact]
    public async Task Render_with_show_secrets_prints_them()
    {
        var path = _files.Write("password = hunter2", "any.conf");
        var (exitCode, output, _) = await Run("config", "render", path, "--show-secrets");
        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("\"password\": \"hunter2\"", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = [", ":1:6: expected ']' to close the array opened at")]
    [InlineData("a = ${missing}", ":1:5: could not resolve ${missing}")]
    public async Task Render_of_bad_input_prints_the_error_and_exits_2(string text, string fragment)
    {
        var path = _files.Write(text, "bad.conf");
        var (exitCode, output, error) = await Run("config", "render", path);
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Empty(output);
        Assert.StartsWith(path + fragment, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_of_a_missing_file_exits_2()
    {
        var (exitCode, _, error) = await Run("config", "render", Path.Combine(_files.Folder, "none.conf"));
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Contains("none.conf: the file does not exist (chosen by the command line)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_summarizes_a_valid_configuration_without_secrets()
    {
        var path = _files.Write(ConfigurationFiles.Valid.Replace("${?MAIN_PASSWORD}", "\"hunter2\"", StringComparison.Ordinal));
        var (exitCode, output, error) = await Run("config", "check", path);
        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Empty(error);
        Assert.Contains($"{path}: OK", output, StringComparison.Ordinal);
        Assert.Contains("main: sync@db:5432/app, up to 10 connections", output, StringComparison.Ordinal);
        Assert.Contains("active_customers: main:public.customers -> replica:public.customers, batch 5000, poll every 1m, batch delay 10ms, row capture", output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_prints_every_problem_on_stderr_and_exits_2()
    {
        var path = _files.Write("""
            actorsync {
              databases { main { connection-string = "Host=x;Password=hunter2" } }
              syncs = [ { name = a, source = "main:a", target = "nope:b", batchsize = 1 } ]
            }
            """);
        var (exitCode, output, error) = await Run("config", "check", path);
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.Empty(output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 3, error);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith($"{path}:3:53: syncs[0].target: unknown database 'nope'", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{path}:3:75: syncs[0].batchsize: unknown key (did you mean 'batch-size'?)", lines[1], StringComparison.Ordinal);
        Assert.Equal($"{path}: 2 problems (configuration chosen by the command line)", lines[2]);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_subcommand_is_bad_input()
    {
        var (exitCode, _, error) = await Run("config", "frobnicate");
        Assert.Equal(ExitCodes.BadInput, exitCode);
        Assert.NotEmpty(error);
    }
}
