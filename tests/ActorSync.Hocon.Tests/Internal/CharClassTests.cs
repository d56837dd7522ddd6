using ActorSync.Hocon.Internal;

namespace ActorSync.Hocon.Tests.Internal;

public sealed class CharClassTests
{
    // The tokenizer's inner loops read a constant table instead of the spec's definitions; it must agree with them.
    [Fact]
    public void The_ascii_table_agrees_with_the_whitespace_and_forbidden_definitions()
    {
        for (var c = '\0'; c < 128; c++)
        {
            var expected = c == '\n' ? CharClass.Newline
                : CharClass.IsWhitespace(c) ? CharClass.Space
                : CharClass.Forbidden.Contains(c, StringComparison.Ordinal) ? CharClass.ForbiddenChar
                : c == '/' ? CharClass.Slash
                : CharClass.Text;
            Assert.True(expected == CharClass.AsciiClass[c], $"U+{(int)c:X4}: expected class {expected}, the table says {CharClass.AsciiClass[c]}");
        }
    }
}
