package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link TokenPatterns#classify} against the rules written out plainly, on names over the alphabet
 * that decides them ({@code a b * > .}), so that wildcards, empty tokens and {@code >} in every
 * position turn up often.
 */
class TokenPatternsPropertiesTest
{
    @Property(tries = 1000)
    void shouldAgreeWithTheRulesWrittenPlainly(
        @ForAll("names") final String name,
        @ForAll("names") final String before,
        @ForAll("names") final String after)
    {
        final ByteBuf buffer = Unpooled.wrappedBuffer((before + name + after).getBytes(StandardCharsets.US_ASCII));
        final int from = before.length();
        assertEquals(reference(name), TokenPatterns.classify(buffer, from, from + name.length()), name);
    }

    @Provide
    Arbitrary<String> names()
    {
        return Arbitraries.strings().withChars("ab*>.").ofMinLength(1).ofMaxLength(9);
    }

    /** The rules as the protocol states them, token by token. */
    private static TokenPatterns.Shape reference(final String name)
    {
        final String[] tokens = name.split("\\.", -1);
        boolean wildcard = false;
        for (final String token : tokens)
        {
            wildcard |= token.equals("*") || token.equals(">");
        }
        if (!wildcard)
        {
            return TokenPatterns.Shape.EXACT;
        }
        for (int i = 0; i < tokens.length; i++)
        {
            if (tokens[i].isEmpty() || tokens[i].equals(">") && i != tokens.length - 1)
            {
                return TokenPatterns.Shape.INVALID;
            }
        }
        return TokenPatterns.Shape.PATTERN;
    }
}
