package dev.topics.transport;

import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.LineParser;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.TokenPatterns;
import dev.topics.testing.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property tests of the real per-connection pipeline ({@link TransportServer#addHandlers}: frame
 * decoder, parser, back-pressure) on an {@link EmbeddedChannel}, fed arbitrary bytes cut into
 * arbitrary reads, with a sink that randomly refuses offers so the pause-and-retry path runs too.
 *
 * <p>Every buffer comes from a {@link TrackingAllocator}, so "every ByteBuf released" is checked
 * exactly after each try rather than left to the garbage collector. Runs on the test thread.
 */
class PipelineFuzzTest
{
    private static final int MAX_LINE = 64;
    private static final int MAX_TOPIC = 16;
    private static final byte[] END = "\nPING end\n".getBytes(StandardCharsets.US_ASCII);

    // ---------------------------------------------------------------- properties

    @Property(tries = 400)
    void shouldSurviveArbitraryBytesAndStillAnswerAfterwards(
        @ForAll("protocolishBytes") final byte[] garbage,
        @ForAll("cuts") final List<Integer> cuts,
        @ForAll @IntRange(max = 60) final int refusalPercent,
        @ForAll final Random random)
    {
        final byte[] stream = concat(garbage, END);
        try (Pipeline pipeline = new Pipeline(refusalPercent, random))
        {
            pipeline.writeInReads(stream, cuts);
            final List<String> events = pipeline.drainAndClose();

            final List<String> expected = new ArrayList<>();
            expected.add("CONNECT");
            expected.addAll(modelEvents(stream));
            expected.add("DISCONNECT");
            assertEquals(expected, events, () -> "events must follow the framing model for " + describe(stream) + " cut at " + cuts);
            assertEquals("PING end", events.get(events.size() - 2), "a valid line after garbage must be honoured");
        }
    }

    @Property(tries = 400)
    void shouldProduceTheSameCommandsWhateverTheReadBoundaries(
        @ForAll @Size(min = 1, max = 12) final List<@From("validLines") ValidLine> lines,
        @ForAll("cuts") final List<Integer> cuts,
        @ForAll @IntRange(max = 60) final int refusalPercent,
        @ForAll final Random random)
    {
        final byte[] stream = join(lines);
        final List<String> expected = new ArrayList<>();
        expected.add("CONNECT");
        lines.forEach(line -> expected.add(line.expected()));
        expected.add("DISCONNECT");

        final List<String> whole;
        try (Pipeline pipeline = new Pipeline(0, random))
        {
            pipeline.writeInReads(stream, List.of());
            whole = pipeline.drainAndClose();
        }
        final List<String> split;
        try (Pipeline pipeline = new Pipeline(refusalPercent, random))
        {
            pipeline.writeInReads(stream, cuts);
            split = pipeline.drainAndClose();
        }
        assertEquals(expected, whole, () -> "unsplit: " + describe(stream));
        assertEquals(whole, split, () -> "split at " + cuts + ": " + describe(stream));
    }

    @Property(tries = 400)
    void shouldHonourEveryValidLineAfterGarbage(
        @ForAll("protocolishBytes") final byte[] garbage,
        @ForAll @Size(min = 1, max = 8) final List<@From("validLines") ValidLine> lines,
        @ForAll("cuts") final List<Integer> cuts,
        @ForAll final Random random)
    {
        final byte[] valid = join(lines);
        final byte[] stream = concat(concat(garbage, new byte[]{'\n'}), valid);
        try (Pipeline pipeline = new Pipeline(20, random))
        {
            pipeline.writeInReads(stream, cuts);
            final List<String> events = pipeline.drainAndClose();

            final List<String> expectedTail = new ArrayList<>();
            lines.forEach(line -> expectedTail.add(line.expected()));
            expectedTail.add("DISCONNECT");
            assertTrue(events.size() >= expectedTail.size() + 1, () -> "too few events: " + events);
            assertEquals(expectedTail, events.subList(events.size() - expectedTail.size(), events.size()),
                () -> "after " + describe(garbage) + " cut at " + cuts);
        }
    }

    /**
     * A line of exactly the maximum length is valid, however its {@code \r\n} is split across
     * reads. (Netty's LineBasedFrameDecoder counts a trailing {@code \r} that has not yet met its
     * {@code \n} toward the limit.)
     */
    @Example
    void shouldAcceptLineOfExactlyMaxLengthWhenCrLfIsSplitAcrossReads()
    {
        final String line = "PUB t " + "x".repeat(MAX_LINE - 6);
        final byte[] stream = (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Pipeline pipeline = new Pipeline(0, new Random(1)))
        {
            pipeline.writeInReads(stream, List.of(stream.length - 1));
            assertEquals(List.of("CONNECT", line, "DISCONNECT"), pipeline.drainAndClose());
        }
    }

    // ---------------------------------------------------------------- the pipeline under test

    /** One EmbeddedChannel with the production handlers, a tracking allocator and a recording sink. */
    private static final class Pipeline implements AutoCloseable
    {
        private final TrackingAllocator alloc = new TrackingAllocator();
        private final TransportCounters counters = new TransportCounters();
        private final RecordingSink sink;
        private final EmbeddedChannel channel = new EmbeddedChannel();
        private boolean closed;

        Pipeline(final int refusalPercent, final Random random)
        {
            sink = new RecordingSink(refusalPercent, random);
            channel.config().setAllocator(alloc);
            final TransportConfig config = new TransportConfig(new InetSocketAddress(0), MAX_LINE, MAX_TOPIC, 1 << 20, 100, SecurityConfig.NONE);
            TransportServer.addHandlers(channel.pipeline(), config, 1, sink, new LineParser(MAX_TOPIC), counters, ShardLookup.SINGLE, MemoryBudget.unlimited());
            channel.pipeline().fireChannelActive();
        }

        /** Writes {@code stream} as separate reads, cut at the given offsets (taken modulo its length). */
        void writeInReads(final byte[] stream, final List<Integer> cuts)
        {
            final TreeSet<Integer> points = new TreeSet<>();
            for (final int cut : cuts)
            {
                if (stream.length > 0)
                {
                    points.add(cut % stream.length);
                }
            }
            points.add(stream.length);
            int from = 0;
            for (final int to : points)
            {
                if (to > from)
                {
                    final ByteBuf read = alloc.directBuffer(to - from).writeBytes(stream, from, to - from);
                    channel.writeInbound(read);
                    channel.checkException();
                    assertTrue(channel.isOpen(), "garbage must never close the connection");
                    from = to;
                }
            }
        }

        /** Lets the sink accept everything still waiting, disconnects, and returns what it recorded. */
        List<String> drainAndClose()
        {
            drain();
            // Closing fires channelInactive once, as a real socket does; the sink now accepts, so
            // the disconnect is offered at once (closing cancels the EmbeddedChannel's retries).
            closed = true;
            channel.finishAndReleaseAll();
            try
            {
                assertEquals(0, counters.internalErrors.sum(), "no exception may reach the pipeline's error path");
                assertTrue(alloc.allocatedCount() > 0, "the pipeline must have used the tracking allocator");
                assertEquals(List.of(), alloc.unreleased(), "every buffer must be released");
            }
            finally
            {
                alloc.releaseAll();
            }
            return sink.events;
        }

        private void drain()
        {
            sink.refusalPercent = 0;
            for (int i = 0; i < 1_000 && sink.lastOfferRefused; i++)
            {
                channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
                channel.runScheduledPendingTasks();
                channel.checkException();
            }
            assertTrue(!sink.lastOfferRefused, "waiting items were never offered again");
            assertTrue(channel.config().isAutoRead(), "reading must resume once the sink has room");
        }

        @Override
        public void close()
        {
            if (!closed)
            {
                closed = true;
                channel.finishAndReleaseAll();
                alloc.releaseAll();
            }
        }
    }

    /** Records each offer as text; refuses a given share of offers. Used on the test thread. */
    private static final class RecordingSink implements CommandSink
    {
        final List<String> events = new ArrayList<>();
        final Random random;
        int refusalPercent;
        boolean lastOfferRefused;

        RecordingSink(final int refusalPercent, final Random random)
        {
            this.refusalPercent = refusalPercent;
            this.random = random;
        }

        private boolean record(final String event)
        {
            lastOfferRefused = refusalPercent > 0 && random.nextInt(100) < refusalPercent;
            if (!lastOfferRefused)
            {
                events.add(event);
            }
            return !lastOfferRefused;
        }

        @Override
        public boolean offerConnect(final Session session)
        {
            return record("CONNECT");
        }

        @Override
        public boolean offerCommand(final Session session, final ParsedLine line)
        {
            if (line.line() != null)
            {
                assertTrue(line.line().refCnt() > 0, "a line must be alive while it is offered");
            }
            return record(PipelineFuzzTest.describe(line));
        }

        @Override
        public boolean offerDisconnect(final Session session)
        {
            return record("DISCONNECT");
        }
    }

    // ---------------------------------------------------------------- models and generators

    /** What a command means, as text; bytes map one to one to ISO-8859-1 characters. */
    static String describe(final ParsedLine line)
    {
        final Command command = line.command();
        switch (command)
        {
            case INVALID:
                return "ERROR " + line.error();
            case SUB:
            case UNSUB:
            case GET:
                return command + " " + text(line.line(), line.topicIndex(), line.topicLength());
            case PUB:
                return "PUB " + text(line.line(), line.topicIndex(), line.topicLength())
                    + " " + text(line.line(), line.argumentIndex(), line.argumentLength());
            case PING:
                return line.argumentLength() < 0 ? "PING" : "PING " + text(line.line(), line.argumentIndex(), line.argumentLength());
            default:
                return command.name();
        }
    }

    private static String text(final ByteBuf buffer, final int index, final int length)
    {
        return buffer.toString(index, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * The framing contract, independently of Netty: a line ends at {@code \n}, one {@code \r}
     * before it is dropped, a line longer than the limit is one {@code line-too-long} error, a
     * blank line is nothing. An unterminated tail is not a line yet.
     */
    static List<String> modelEvents(final byte[] stream)
    {
        final List<String> events = new ArrayList<>();
        final LineParser parser = new LineParser(MAX_TOPIC);
        final ParsedLine parsed = new ParsedLine();
        int start = 0;
        for (int i = 0; i < stream.length; i++)
        {
            if (stream[i] != '\n')
            {
                continue;
            }
            int end = i;
            if (end > start && stream[end - 1] == '\r')
            {
                end--;
            }
            if (end - start > MAX_LINE)
            {
                events.add("ERROR " + ErrorCode.LINE_TOO_LONG);
            }
            else
            {
                final ByteBuf line = Unpooled.wrappedBuffer(stream, start, end - start);
                if (parser.parse(line, parsed))
                {
                    events.add(describe(parsed));
                }
            }
            start = i + 1;
        }
        return events;
    }

    /** A well-formed command line with the event it must produce. */
    record ValidLine(byte[] bytes, String expected)
    {
        @Override
        public String toString()
        {
            return describe(bytes);
        }
    }

    @Provide
    Arbitrary<ValidLine> validLines()
    {
        final Arbitrary<Command> verbs = Arbitraries.of(
            Command.SUB, Command.UNSUB, Command.GET, Command.PUB, Command.PUB, Command.PING,
            Command.STATS, Command.HELP, Command.QUIT);
        final Arbitrary<byte[]> topics = Arbitraries.strings().withCharRange('!', '~').withChars('é', '€', 'ü')
            .ofMinLength(1).ofMaxLength(10)
            .map(s -> s.getBytes(StandardCharsets.UTF_8))
            .filter(b -> b.length <= MAX_TOPIC)
            // valid for every verb: a wildcard token would make PUB and GET errors
            .filter(b -> TokenPatterns.classify(Unpooled.wrappedBuffer(b), 0, b.length) == TokenPatterns.Shape.EXACT);
        final Arbitrary<byte[]> payloads = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.bytes()),
                Tuple.of(3, Arbitraries.of((byte)' ', (byte)'\t', (byte)'\r', (byte)0)),
                Tuple.of(6, Arbitraries.bytes().between((byte)'a', (byte)'z')))
            .filter(b -> b != '\n')
            .array(byte[].class).ofMaxSize(30)
            .filter(b -> b.length == 0 || b[b.length - 1] != '\r');
        return Combinators.combine(
                verbs, topics, payloads, Arbitraries.integers(),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 3),
                Arbitraries.of("\n", "\r\n"))
            .as(PipelineFuzzTest::validLine);
    }

    private static ValidLine validLine(
        final Command verb, final byte[] topic, final byte[] payload, final int caseBits,
        final int leading, final int gap, final String terminator)
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes(" ".repeat(leading).getBytes(StandardCharsets.US_ASCII));
        final String name = verb.name();
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            line.write(((caseBits >>> i) & 1) == 1 ? Character.toLowerCase(c) : c);
        }
        final String topicText = new String(topic, StandardCharsets.ISO_8859_1);
        final String payloadText = new String(payload, StandardCharsets.ISO_8859_1);
        final String expected;
        switch (verb)
        {
            case SUB:
            case UNSUB:
            case GET:
                line.writeBytes(" ".repeat(gap).getBytes(StandardCharsets.US_ASCII));
                line.writeBytes(topic);
                line.writeBytes(" ".repeat(gap - 1).getBytes(StandardCharsets.US_ASCII));
                expected = name + " " + topicText;
                break;
            case PUB:
                line.writeBytes(" ".repeat(gap).getBytes(StandardCharsets.US_ASCII));
                line.writeBytes(topic);
                line.write(' ');
                line.writeBytes(payload);
                expected = "PUB " + topicText + " " + payloadText;
                break;
            case PING:
                if ((caseBits & 0x100) != 0)
                {
                    line.write(' ');
                    line.writeBytes(payload);
                    expected = "PING " + payloadText;
                }
                else
                {
                    expected = "PING";
                }
                break;
            default:
                expected = name;
                break;
        }
        line.writeBytes(terminator.getBytes(StandardCharsets.US_ASCII));
        return new ValidLine(line.toByteArray(), expected);
    }

    /** Bytes rich in what the framing and the parser care about: newlines, CRs, spaces, verbs. */
    @Provide
    Arbitrary<byte[]> protocolishBytes()
    {
        final Arbitrary<byte[]> fragments = Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(12)),
            Tuple.of(3, Arbitraries.of("\n", "\r", "\r\n", " ", "  ").map(PipelineFuzzTest::ascii)),
            Tuple.of(3, Arbitraries.of("SUB ", "pub ", "UNSUB", "GET", "PING", "STATS", "t ", "x".repeat(MAX_LINE - 6))
                .map(PipelineFuzzTest::ascii)));
        return fragments.list().ofMaxSize(40).map(PipelineFuzzTest::join2);
    }

    @Provide
    Arbitrary<List<Integer>> cuts()
    {
        return Arbitraries.integers().between(0, 10_000).list().ofMaxSize(24);
    }

    // ---------------------------------------------------------------- bytes

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] join(final List<ValidLine> lines)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        lines.forEach(line -> out.writeBytes(line.bytes()));
        return out.toByteArray();
    }

    private static byte[] join2(final List<byte[]> parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** Bytes as printable text for failure messages: control and non-ASCII bytes escaped. */
    static String describe(final byte[] bytes)
    {
        final StringBuilder text = new StringBuilder("\"");
        for (final byte b : bytes)
        {
            if (b >= 0x20 && b < 0x7F)
            {
                text.append((char)b);
            }
            else
            {
                text.append("\\x").append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
        }
        return text.append('"').toString();
    }
}
