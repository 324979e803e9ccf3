package dev.topics.transport;

import dev.topics.testing.NettyLeakGuard;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.LineParser;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.TopicMatch;
import dev.topics.transport.resp.RespCommand;
import dev.topics.transport.resp.RespProtocolError;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RESP listener's real per-connection pipeline ({@link TransportServer#addHandlers} with
 * {@link WireProtocol#RESP}: {@code RespFrameDecoder}, then the {@link ConnectionHandler} with a
 * {@code RespFrontEnd}) on an {@link EmbeddedChannel}, with a sink that records each command it
 * accepts and can refuse offers. Runs on the test thread only.
 */
@ExtendWith(NettyLeakGuard.class)
class RespPipelineTest
{
    private static final int MAX_LINE = 64;

    private final Sink sink = new Sink();
    private final MockTicker ticker = Ticker.newMockTicker();
    private EmbeddedChannel channel;

    private void open(final SecurityConfig security)
    {
        final TransportConfig config = new TransportConfig(new InetSocketAddress(0), MAX_LINE, 16, 1 << 20, 100, security);
        channel = EmbeddedChannel.builder().ticker(ticker).build();
        TransportServer.addHandlers(channel.pipeline(), config, 7, sink, new LineParser(16), new TransportCounters(),
            ShardLookup.SINGLE, MemoryBudget.unlimited(), WireProtocol.RESP);
        channel.pipeline().fireChannelActive();
        sink.events.clear();
    }

    @AfterEach
    void close()
    {
        channel.finishAndReleaseAll();
    }

    private void write(final String text)
    {
        final ByteBuf bytes = PooledByteBufAllocator.DEFAULT.directBuffer();
        bytes.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        channel.writeInbound(bytes);
    }

    private static String array(final String... args)
    {
        final StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (final String arg : args)
        {
            request.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
        }
        return request.toString();
    }

    private void awaitRetry()
    {
        for (int i = 0; i < 100 && sink.lastOfferRejected; i++)
        {
            ticker.advance(1, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
        assertFalse(sink.lastOfferRejected, "waiting requests were never offered again");
    }

    @Test
    void shouldMakeNeutralCommandsOfArraysAndInlineRequests()
    {
        open(SecurityConfig.NONE);
        write(array("SUBSCRIBE", "a", "b") + "PUBLISH a 'x y'\r\n" + array("PSUBSCRIBE", "n*") + "PING\r\n");
        assertEquals(List.of("SUB a", "SUB b", "PUB a x y", "SUB n* GLOB_PATTERN", "PING"), sink.events);
    }

    @Test
    void shouldFrameRequestsSplitAtEveryByte()
    {
        open(SecurityConfig.NONE);
        final String stream = array("SUBSCRIBE", "a", "b") + "PUBLISH a \"x\\r\\ny\"\r\n" + array("PUBLISH", "a", "m\r\n");
        for (int i = 0; i < stream.length(); i++)
        {
            write(stream.substring(i, i + 1));
        }
        assertEquals(List.of("SUB a", "SUB b", "PUB a x\r\ny", "PUB a m\r\n"), sink.events);
    }

    @Test
    void shouldAnswerAnOversizedBulkInPlaceAndCarryOn()
    {
        open(SecurityConfig.NONE);
        final String big = array("PUBLISH", "a", "x".repeat(MAX_LINE + 1));
        write(array("PING", "1") + big.substring(0, 40));
        write(big.substring(40) + array("PING", "2"));
        assertEquals(List.of("PING 1", "ERROR LINE_TOO_LONG", "PING 2"), sink.events);
        assertTrue(channel.isOpen());
    }

    @Test
    void shouldAnswerGarbageWithTheProtocolErrorThenOfferNothingMore()
    {
        open(SecurityConfig.NONE);
        write(array("PING") + "*1\r\n$4\r\nPING\r\n*2\r\n$1\r\na\r\nb\r\n" + array("PING"));
        write(array("PING"));
        final int detail = RespProtocolError.EXPECTED_DOLLAR.detail((byte)'b');
        assertEquals(List.of("PING", "PING", "ERROR PROTOCOL_ERROR " + RespProtocolError.text(detail), "QUIT silent"),
            sink.events);
    }

    @Test
    void shouldOfferARefusedRequestAgainFromTheCommandTheSinkRefused()
    {
        open(SecurityConfig.NONE);
        sink.refuseAt = 1; // the second SUB
        write(array("SUBSCRIBE", "a", "b", "c") + array("PING"));
        assertEquals(List.of("SUB a"), sink.events);
        assertFalse(channel.config().isAutoRead());
        awaitRetry();
        assertEquals(List.of("SUB a", "SUB b", "SUB c", "PING"), sink.events);
        assertTrue(channel.config().isAutoRead());
    }

    @Test
    void shouldSilenceRepliesAsClientReplySays()
    {
        open(SecurityConfig.NONE);
        write(array("CLIENT", "REPLY", "OFF") + array("SUBSCRIBE", "a", "b") + array("CLIENT", "REPLY", "ON")
            + array("CLIENT", "REPLY", "SKIP") + "PING x\r\nPING y\r\n");
        assertEquals(List.of("RAW CLIENT_REPLY silent", "SUB a silent", "SUB b silent", "RAW CLIENT_REPLY",
            "RAW CLIENT_REPLY silent", "PING x silent", "PING y"), sink.events);
    }

    @Test
    void shouldRequireAuthAndTakeItFromHello()
    {
        open(SecurityConfig.NONE.withAuthToken("s3cret-token"));
        write(array("SUBSCRIBE", "a", "b") + array("HELLO", "3") + array("HELLO", "3", "AUTH", "default", "s3cret-token",
            "SETNAME", "me") + array("SUBSCRIBE", "a"));
        assertEquals(List.of("ERROR AUTH_REQUIRED", "ERROR AUTH_REQUIRED", "NAME me silent", "HELLO 3", "SUB a"),
            sink.events);
    }

    @Test
    void shouldCloseAfterTooManyWrongPasswords()
    {
        open(SecurityConfig.NONE.withAuthToken("s3cret-token"));
        write("AUTH a\r\nAUTH b\r\nAUTH c\r\nPING\r\n");
        assertEquals(List.of("ERROR AUTH_FAILED", "ERROR AUTH_FAILED", "ERROR AUTH_FAILED", "QUIT silent"), sink.events);
    }

    /** Records what it accepts: the command and its topic, match, argument and silence. */
    private static final class Sink implements CommandSink
    {
        final List<String> events = new ArrayList<>();
        boolean lastOfferRejected;
        /** The number of the command offer to refuse once, counted from 0 after the connect; -1: none. */
        int refuseAt = -1;
        private int offers;

        @Override
        public boolean drainsOnCallersLoop()
        {
            return false;
        }

        @Override
        public boolean offerConnect(final Session session)
        {
            events.add("CONNECT");
            return true;
        }

        @Override
        public boolean offerCommand(final Session session, final ParsedLine line)
        {
            if (offers++ == refuseAt)
            {
                lastOfferRejected = true;
                return false;
            }
            lastOfferRejected = false;
            events.add(describe(line));
            return true;
        }

        @Override
        public boolean offerDisconnect(final Session session)
        {
            events.add("DISCONNECT");
            return true;
        }

        private static String describe(final ParsedLine line)
        {
            final StringBuilder text = new StringBuilder();
            if (line.command() == Command.INVALID)
            {
                text.append("ERROR ").append(line.error());
                if (line.error() == dev.topics.transport.codec.ErrorCode.PROTOCOL_ERROR)
                {
                    text.append(' ').append(RespProtocolError.text(line.detail()));
                }
            }
            else if (line.command() == Command.RAW)
            {
                text.append("RAW ").append(RespCommand.of(line.detail()));
            }
            else
            {
                text.append(line.command());
                if (line.command() == Command.HELLO)
                {
                    text.append(' ').append(line.detail());
                }
            }
            if (line.topicLength() > 0)
            {
                text.append(' ').append(line.line().toString(line.topicIndex(), line.topicLength(), StandardCharsets.ISO_8859_1));
            }
            if (line.match() != TopicMatch.EXACT)
            {
                text.append(' ').append(line.match());
            }
            if (line.argumentLength() >= 0 && line.command() != Command.HELLO)
            {
                text.append(' ').append(line.line().toString(line.argumentIndex(), line.argumentLength(),
                    StandardCharsets.ISO_8859_1));
            }
            if (line.silent())
            {
                text.append(" silent");
            }
            return text.toString();
        }
    }
}
