package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of {@link LineParser} over arbitrary bytes: it never throws, never moves the buffer's
 * indices, and every index it reports lies inside the line, so a consumer copying the topic or
 * the message can never read outside it. Runs on the test thread.
 */
class LineParserPropertiesTest
{
    private static final int MAX_TOPIC = 16;
    private static final EnumSet<Command> WITH_TOPIC = EnumSet.of(Command.SUB, Command.UNSUB, Command.GET, Command.PUB);

    private final LineParser parser = new LineParser(MAX_TOPIC);
    private final ParsedLine parsed = new ParsedLine();

    /**
     * The line sits in the middle of a larger buffer, between guard bytes that look like a valid
     * command, so a parser reading one byte too far, or from index 0, would be caught.
     */
    @Property(tries = 3000)
    void shouldNeverThrowAndKeepEveryIndexInsideTheLine(
        @ForAll("lineBytes") final byte[] line,
        @ForAll @IntRange(max = 8) final int prefixLength,
        @ForAll @IntRange(max = 8) final int suffixLength)
    {
        // A wrapped array is not tracked by Netty's leak detector, so nothing here needs releasing.
        final ByteBuf buffer = Unpooled.wrappedBuffer(new byte[prefixLength + line.length + suffixLength]).clear();
        buffer.writeBytes("SUB ab c".getBytes(StandardCharsets.US_ASCII), 0, prefixLength);
        buffer.writeBytes(line);
        buffer.writeBytes(" PUB ab".getBytes(StandardCharsets.US_ASCII), 0, Math.min(suffixLength, 7));
        buffer.readerIndex(prefixLength).writerIndex(prefixLength + line.length);
        final int start = buffer.readerIndex();
        final int end = buffer.writerIndex();

        final boolean accepted = parser.parse(buffer, parsed);

        assertEquals(start, buffer.readerIndex(), "the parser must not consume the line");
        assertEquals(end, buffer.writerIndex());
        assertEquals(!isBlank(line), accepted, "only empty or all-space lines are ignored");
        if (!accepted)
        {
            return;
        }
        final Command command = parsed.command();
        assertNotNull(command);
        assertEquals(buffer, parsed.line());
        if (command == Command.INVALID)
        {
            assertNotNull(parsed.error(), "an invalid line always says why");
            return;
        }
        assertNull(parsed.error());
        if (WITH_TOPIC.contains(command))
        {
            assertTopicInside(buffer, start, end);
        }
        if (parsed.argumentLength() >= 0)
        {
            assertTrue(command == Command.PUB || command == Command.PING, "only PUB and PING carry an argument");
            assertTrue(parsed.argumentIndex() >= start && parsed.argumentIndex() + parsed.argumentLength() <= end,
                () -> "argument [" + parsed.argumentIndex() + "+" + parsed.argumentLength() + ") outside [" + start + "," + end + ")");
            // The message or token runs to the end of the line, byte for byte.
            assertEquals(end, parsed.argumentIndex() + parsed.argumentLength());
        }
        else
        {
            assertTrue(command != Command.PUB, "a PUB always has a (possibly empty) message");
        }
    }

    private void assertTopicInside(final ByteBuf buffer, final int start, final int end)
    {
        final int index = parsed.topicIndex();
        final int length = parsed.topicLength();
        assertTrue(length >= 1 && length <= MAX_TOPIC, () -> "topic length " + length);
        assertTrue(index >= start && index + length <= end, () -> "topic [" + index + "+" + length + ") outside [" + start + "," + end + ")");
        for (int i = index; i < index + length; i++)
        {
            final byte b = buffer.getByte(i);
            assertFalse(b == ' ' || (b >= 0 && b < ' ') || b == 0x7F, "a topic has no spaces or control bytes");
        }
        assertTrue(index == start || buffer.getByte(index - 1) == ' ', "a topic starts after a space");
        assertTrue(index + length == end || buffer.getByte(index + length) == ' ', "a topic is a whole word");
        final byte[] copy = new byte[length];
        parsed.copyTopic(copy);
    }

    /** Verbs, spaces and topic-like words mixed with arbitrary bytes, including NUL, CR and LF. */
    @Provide
    Arbitrary<byte[]> lineBytes()
    {
        final Arbitrary<byte[]> fragments = Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8)),
            Tuple.of(3, Arbitraries.of(" ", "  ", "\r", "\t", "\u0000").map(LineParserPropertiesTest::utf8)),
            Tuple.of(4, Arbitraries.of("SUB", "sub", "UNSUB", "PUB", "pUb", "GET", "PING", "STATS", "HELP", "QUIT", "SUBX", "PU")
                .map(LineParserPropertiesTest::utf8)),
            Tuple.of(3, Arbitraries.strings().withCharRange('!', '~').withChars("é🙂").ofMinLength(1).ofMaxLength(20)
                .map(LineParserPropertiesTest::utf8)));
        return fragments.list().ofMaxSize(8).map(parts ->
        {
            final ByteArrayOutputStream joined = new ByteArrayOutputStream();
            parts.forEach(joined::writeBytes);
            return joined.toByteArray();
        });
    }

    private static boolean isBlank(final byte[] line)
    {
        for (final byte b : line)
        {
            if (b != ' ')
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
