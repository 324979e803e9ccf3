package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineParserTest
{
    private final LineParser parser = new LineParser(16);
    private final ParsedLine parsed = new ParsedLine();
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void releaseBuffers()
    {
        buffers.forEach(ByteBuf::release);
    }

    private ParsedLine parse(final String line)
    {
        return parse(line.getBytes(StandardCharsets.UTF_8));
    }

    private ParsedLine parse(final byte[] line)
    {
        final ByteBuf buffer = Unpooled.directBuffer().writeBytes(line);
        buffers.add(buffer);
        assertTrue(parser.parse(buffer, parsed), "line should not be ignored");
        return parsed;
    }

    private static String topic(final ParsedLine line)
    {
        return line.line().toString(line.topicIndex(), line.topicLength(), StandardCharsets.UTF_8);
    }

    private static String argument(final ParsedLine line)
    {
        return line.line().toString(line.argumentIndex(), line.argumentLength(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SUB news", "sub news", "Sub news", "sUb news", "SUB    news", "  SUB news", "SUB news   "})
    void shouldParseSubscribeInAnyCaseAndSpacing(final String line)
    {
        final ParsedLine parsed = parse(line);
        assertEquals(Command.SUB, parsed.command());
        assertEquals("news", topic(parsed));
        assertNull(parsed.error());
    }

    @Test
    void shouldKeepEveryByteOfThePublishedMessage()
    {
        final ParsedLine parsed = parse("PUB news  hello \t wörld  ");
        assertEquals(Command.PUB, parsed.command());
        assertEquals("news", topic(parsed));
        assertEquals(" hello \t wörld  ", argument(parsed));
    }

    @Test
    void shouldTreatPublishWithoutMessageAsEmptyMessage()
    {
        final ParsedLine parsed = parse("pub news");
        assertEquals(Command.PUB, parsed.command());
        assertEquals(0, parsed.argumentLength());
    }

    @Test
    void shouldPassBinaryMessageBytesThrough()
    {
        final byte[] line = {'P', 'U', 'B', ' ', 't', ' ', 0, (byte)0xFF, (byte)0xC3, 1, '\r'};
        final ParsedLine parsed = parse(line);
        assertEquals(Command.PUB, parsed.command());
        assertEquals(5, parsed.argumentLength());
        assertEquals((byte)0xFF, parsed.line().getByte(parsed.argumentIndex() + 1));
    }

    @Test
    void shouldParsePingWithAndWithoutToken()
    {
        assertEquals(-1, parse("PING").argumentLength());
        final ParsedLine withToken = parse("ping a b");
        assertEquals(Command.PING, withToken.command());
        assertEquals("a b", argument(withToken));
    }

    @ParameterizedTest
    @ValueSource(strings = {"STATS", "HELP", "QUIT", "CLIENTS", "MEMBERS", "stats", "help", "quit", "clients", "members"})
    void shouldParseCommandsWithoutArguments(final String line)
    {
        assertEquals(line.toUpperCase(), parse(line).command().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"FOO", "SUBX news", "PUBLISH a b", "\u0000\u0001", "SU", "ÜSUB x"})
    void shouldAnswerUnknownCommand(final String line)
    {
        final ParsedLine parsed = parse(line);
        assertEquals(Command.INVALID, parsed.command());
        assertEquals(ErrorCode.UNKNOWN_COMMAND, parsed.error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SUB", "SUB   ", "UNSUB", "GET ", "PUB"})
    void shouldAnswerMissingTopic(final String line)
    {
        assertEquals(ErrorCode.MISSING_TOPIC, parse(line).error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SUB a b", "SUB abcdefghijklmnopq", "PUB abcdefghijklmnopq x", "SUB a\tb", "GET a\u0001"})
    void shouldAnswerBadTopic(final String line)
    {
        assertEquals(ErrorCode.BAD_TOPIC, parse(line).error());
    }

    @Test
    void shouldAcceptUtf8TopicUpToTheLimit()
    {
        final ParsedLine parsed = parse("SUB ünïcödé.🙂");
        assertEquals(Command.SUB, parsed.command());
        assertEquals("ünïcödé.🙂", topic(parsed));
        assertEquals(ErrorCode.BAD_TOPIC, parse("SUB ünïcödé.🙂🙂").error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NAME feed-1", "name feed-1", "NAME   feed-1   ", "  Name feed-1"})
    void shouldParseNameAsOneWordWhereATopicWouldBe(final String line)
    {
        final ParsedLine parsed = parse(line);
        assertEquals(Command.NAME, parsed.command());
        assertEquals("feed-1", topic(parsed));
        assertNull(parsed.error());
    }

    @Test
    void shouldTakeANameOfUpToSixtyFourBytesWhateverTheTopicLimit()
    {
        final String longest = "ü".repeat(Command.MAX_NAME_BYTES / 2);
        final ParsedLine parsed = parse("NAME " + longest);
        assertEquals(Command.NAME, parsed.command(), "64 bytes, though topics here may have 16");
        assertEquals(longest, topic(parsed));
        assertEquals(ErrorCode.BAD_NAME, parse("NAME " + longest + "x").error());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NAME a b", "NAME a\tb", "NAME a\u0001", "NAME \u007Fa"})
    void shouldRefuseANameThatIsNotOneWordWithoutControlBytes(final String line)
    {
        final ParsedLine parsed = parse(line);
        assertEquals(Command.INVALID, parsed.command());
        assertEquals(ErrorCode.BAD_NAME, parsed.error());
        assertEquals("bad-name", parsed.error().word());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NAME", "name   "})
    void shouldRefuseNameWithoutAName(final String line)
    {
        assertEquals(ErrorCode.MISSING_NAME, parse(line).error());
        assertEquals("bad-name", ErrorCode.MISSING_NAME.word());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "    "})
    void shouldIgnoreBlankLines(final String line)
    {
        final ByteBuf buffer = Unpooled.copiedBuffer(line, StandardCharsets.UTF_8);
        buffers.add(buffer);
        assertFalse(parser.parse(buffer, parsed));
    }

    @Test
    void shouldOnlyReadBetweenReaderAndWriterIndex()
    {
        final ByteBuf buffer = Unpooled.copiedBuffer("xxSUB news\nPUB other", StandardCharsets.US_ASCII);
        buffers.add(buffer);
        buffer.readerIndex(2).writerIndex(10);
        assertTrue(parser.parse(buffer, parsed));
        assertEquals(Command.SUB, parsed.command());
        assertEquals("news", topic(parsed));
    }

    /** A wildcard token makes a SUB or UNSUB topic a pattern; inside a longer token it is an ordinary byte. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "SUB a.*         | SUB   | a.*      | TOKEN_PATTERN",
        "sub >           | SUB   | >        | TOKEN_PATTERN",
        "SUB *           | SUB   | *        | TOKEN_PATTERN",
        "SUB  orders.>   | SUB   | orders.> | TOKEN_PATTERN",
        "'SUB a.*.c   '  | SUB   | a.*.c    | TOKEN_PATTERN",
        "UNSUB a.*.c     | UNSUB | a.*.c    | TOKEN_PATTERN",
        "unsub *.>       | UNSUB | *.>      | TOKEN_PATTERN",
        "UNSUB a*.*      | UNSUB | a*.*     | TOKEN_PATTERN",
        "UNSUB >         | UNSUB | >        | TOKEN_PATTERN",
        "SUB a*.b>       | SUB   | a*.b>    | EXACT",
        "UNSUB a..b      | UNSUB | a..b     | EXACT",
        "PUB a* x        | PUB   | a*       | EXACT",
        "PUB b> x        | PUB   | b>       | EXACT",
        "GET b>          | GET   | b>       | EXACT",
        "GET *a.>>       | GET   | *a.>>    | EXACT",
        "PUB a..b x      | PUB   | a..b     | EXACT",
    })
    void shouldTellPatternsFromExactTopics(final String line, final Command command, final String topic, final TopicMatch match)
    {
        final ParsedLine parsed = parse(line);
        assertEquals(command, parsed.command());
        assertNull(parsed.error());
        assertEquals(topic, topic(parsed));
        assertEquals(match, parsed.match());
    }

    /** Both errors share the word bad-topic, each with its own text. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "BAD_PATTERN    | SUB a.>.b; SUB a..*; SUB .*; SUB *.; UNSUB a..b.*; UNSUB >.a; SUB *..>; SUB >.>",
        "WILDCARD_TOPIC | PUB a.* x; PUB > x; PUB a.> x; pub * x; PUB a.*; PUB a.>.b x; GET a.*; GET >; GET a.>; get *.b; GET a..*",
    })
    void shouldRefuseInvalidPatternsAndWildcardsInPublishAndGet(final ErrorCode error, final String lines)
    {
        for (final String line : lines.split("; "))
        {
            final ParsedLine parsed = parse(line);
            assertEquals(Command.INVALID, parsed.command(), line);
            assertEquals(error, parsed.error(), line);
            assertEquals("bad-topic", parsed.error().word());
        }
    }

    /** Each line follows a pattern SUB into the same view, which must not keep the pattern mark. */
    @ParameterizedTest
    @ValueSource(strings = {"SUB news", "SUB a..b", "SUB .", "UNSUB a*", "SUB b>", "UNSUB a.b", "PUB a.b x", "PUB a* x", "GET b>",
        "PING", "PING x", "STATS", "HELP", "QUIT", "AUTH t", "FOO a.*"})
    void shouldMatchExactlyForExactTopicsAndOtherCommands(final String line)
    {
        assertEquals(TopicMatch.TOKEN_PATTERN, parse("SUB a.*").match());
        assertEquals(TopicMatch.EXACT, parse(line).match());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SUB a.* b", "UNSUB a.>.b c", "SUB a.*.abcdefghijklm"})
    void shouldRefuseAPatternThatIsNotOneWordOfTheAllowedLengthAsABadTopic(final String line)
    {
        assertEquals(ErrorCode.BAD_TOPIC, parse(line).error());
    }
}
