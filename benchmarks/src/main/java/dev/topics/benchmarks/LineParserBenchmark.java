package dev.topics.benchmarks;

import dev.topics.transport.codec.LineParser;
import dev.topics.transport.codec.ParsedLine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Measures {@link LineParser#parse} on one framed line (line ending already stripped, as
 * {@code LineBasedFrameDecoder} hands it over): a {@code PUB} with a 16-byte or a 256-byte message,
 * and a {@code SUB}, each in a heap and in a direct {@code ByteBuf}.
 *
 * <p>In the broker this runs on a Netty event-loop thread, once per received line, before the
 * command is offered into the inbound ring. It must allocate nothing: run with {@code -prof gc}
 * and expect {@code gc.alloc.rate.norm} of about 0 B/op.
 *
 * <p>The line and the {@link ParsedLine} are built once per trial; {@code parse} reads between the
 * reader and writer index without moving them, so the same line is parsed again on every call.
 */
@State(Scope.Thread)
public class LineParserBenchmark extends HotPathBenchmark
{
    /** A realistic dotted topic of 26 bytes. */
    static final String TOPIC = "sensors.eu-west-1.temp.042";

    /** Which line is parsed. */
    public enum Line
    {
        PUB_16B, PUB_256B, SUB;

        String text()
        {
            return switch (this)
            {
                case PUB_16B -> "PUB " + TOPIC + " " + message(16);
                case PUB_256B -> "PUB " + TOPIC + " " + message(256);
                case SUB -> "SUB " + TOPIC;
            };
        }

        private static String message(final int bytes)
        {
            final char[] chars = new char[bytes];
            Arrays.fill(chars, 'x');
            return new String(chars);
        }
    }

    /** Heap ({@code byte[]}-backed) or direct (off-heap, as the epoll transport reads into). */
    public enum Buffer
    {
        HEAP, DIRECT
    }

    @Param
    public Line line;

    @Param
    public Buffer buffer;

    private final LineParser parser = new LineParser(256);
    private final ParsedLine parsed = new ParsedLine();
    private ByteBuf lineBuf;

    @Setup(Level.Trial)
    public void setUp()
    {
        final byte[] bytes = line.text().getBytes(StandardCharsets.US_ASCII);
        lineBuf = buffer == Buffer.HEAP ? Unpooled.buffer(bytes.length) : Unpooled.directBuffer(bytes.length);
        lineBuf.writeBytes(bytes);
        if (!parser.parse(lineBuf, parsed) || parsed.error() != null)
        {
            throw new IllegalStateException("benchmark line does not parse: " + line.text());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        lineBuf.release();
    }

    /** Returns the argument length so the parse cannot be eliminated as dead code. */
    @Benchmark
    public int parse()
    {
        parser.parse(lineBuf, parsed);
        return parsed.argumentLength() + parsed.topicLength();
    }
}
