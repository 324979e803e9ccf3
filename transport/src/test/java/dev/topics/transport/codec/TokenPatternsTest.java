package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pattern rules of {@link TokenPatterns}, one row a rule: what makes a name exact, a pattern,
 * or an invalid pattern. Each name is classified inside a larger buffer between wildcard bytes,
 * so a classification reading outside {@code [from, to)} would be caught.
 */
class TokenPatternsTest
{
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // no wildcard token: exact, whatever else the name holds, empty tokens included
        "EXACT   | news a.b.c a* b> *a >> ** a*.b>.c a..b . .. .a a.",
        // whole-token wildcards, > only last, no empty token
        "PATTERN | > * a.* *.a a.*.c *.* a.> *.> orders.*.> a*.* *.b> a*.>",
        // > not last, or an empty token anywhere in a pattern
        "INVALID | a.>.b >.a >.> >.* a..* .* *. a..b.* .> a.>. *..>",
    })
    void shouldClassifyByTheTokenRules(final TokenPatterns.Shape expected, final String names)
    {
        for (final String name : names.split(" "))
        {
            final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            final String guard = ".*>";
            final ByteBuf buffer = Unpooled.wrappedBuffer((guard + name + guard).getBytes(StandardCharsets.US_ASCII));
            final int from = guard.length();
            assertEquals(expected, TokenPatterns.classify(buffer, from, from + bytes.length), name);
            assertEquals(expected, TokenPatterns.classify(Unpooled.wrappedBuffer(bytes), 0, bytes.length), name + ", from index 0");
        }
    }
}
