namespace ActorSync.Tests.Support;

/// <summary>Configuration files for the WAL capture tests of <c>check</c> and <c>run</c> (issue #20); see also <see cref="WalTestSupport"/>.</summary>
public static class WalCapture
{
    /// <summary>A configuration whose database <c>src</c> captures from the WAL (with <paramref name="srcExtra"/> added to it).</summary>
    public static CliRun.ConfigText Config(string source, string target, IEnumerable<string> syncs, string srcExtra = "") =>
        CliRun.WriteConfig($$"""
            actorsync {
              databases {
                src { connection-string = {{ConfigFile.Quote(source)}}, capture-mode = wal{{srcExtra}} }
                tgt { connection-string = {{ConfigFile.Quote(target)}} }
              }
              defaults { poll-interval = 1s, backoff { min = 100ms, max = 2s } }
              admin { enabled = false }
              syncs = [
                {{string.Join("\n    ", syncs)}}
              ]
            }
            """);
}
