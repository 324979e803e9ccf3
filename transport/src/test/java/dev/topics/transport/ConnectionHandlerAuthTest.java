package dev.topics.transport;

import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.LineParser;
import dev.topics.transport.codec.ParsedLine;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The auth gate inside {@link ConnectionHandler}, driven through an {@link EmbeddedChannel} with a
 * sink that records what reaches the broker. Runs on the test thread only.
 */
class ConnectionHandlerAuthTest
{
    private static final byte[] TOKEN = "s3cret".getBytes(StandardCharsets.UTF_8);

    private final TransportCounters counters = new TransportCounters();
    private final RecordingSink sink = new RecordingSink();
    private EmbeddedChannel channel;

    @AfterEach
    void close()
    {
        channel.finishAndReleaseAll();
    }

    @Test
    void shouldTurnEveryCommandBeforeAuthIntoAuthRequiredExceptQuit()
    {
        open(TOKEN);
        send("SUB t\nPUB t hello\nGET t\nPING x\nSTATS\nHELP\nCLIENTS\nNAME me\nbogus\nQUIT\n");
        assertEquals(List.of("CONNECT", "ERR auth-required", "ERR auth-required", "ERR auth-required",
            "ERR auth-required", "ERR auth-required", "ERR auth-required", "ERR auth-required", "ERR auth-required",
            "ERR auth-required", "QUIT"), sink.offers);
        assertEquals(0, sink.session.stats().messagesIn(), "a refused PUB is no message in");
    }

    @Test
    void shouldPassCommandsThroughOnceTheRightTokenWasSent()
    {
        open(TOKEN);
        send("AUTH s3cret\nSUB t\nPUB t hello\n");
        assertEquals(List.of("CONNECT", "AUTH s3cret", "SUB", "PUB hello"), sink.offers);
    }

    @Test
    void shouldAnswerAuthFailedAndStayUnauthenticatedAfterAWrongToken()
    {
        open(TOKEN);
        send("AUTH wrong\nAUTH\nPING\nAUTH s3cret\nPING\n");
        assertEquals(List.of("CONNECT", "ERR auth-failed", "ERR auth-failed", "ERR auth-required", "AUTH s3cret", "PING"),
            sink.offers);
        assertEquals(2, counters.authFailures.sum());
        assertTrue(channel.isActive());
    }

    @Test
    void shouldRejectATokenThatOnlyStartsWithTheRightOne()
    {
        open(TOKEN);
        send("AUTH s3cretX\nAUTH s3cre\nAUTH s3cret extra\n");
        assertEquals(List.of("CONNECT", "ERR auth-failed", "ERR auth-failed", "ERR auth-failed", "QUIT"), sink.offers);
    }

    @Test
    void shouldOfferQuitAfterTheThirdWrongTokenAndDiscardEverythingAfterIt()
    {
        open(TOKEN);
        send("AUTH a\nAUTH b\nAUTH c\nAUTH s3cret\nPING\n");
        assertEquals(List.of("CONNECT", "ERR auth-failed", "ERR auth-failed", "ERR auth-failed", "QUIT"), sink.offers);
        assertEquals(CloseReason.AUTH_FAILED, sink.session.stats().closeReason(), "what CLIENTS shows until it is gone");
    }

    @Test
    void shouldCountAWrongTokenOnceWhenTheBrokerHadNoRoomAndTheLineWasOfferedAgain()
    {
        sink.refuseFirstAttempts = true;
        open(TOKEN);
        send("AUTH a\nAUTH b\nAUTH s3cret\nPING\n");
        drainRetries();
        assertEquals(List.of("CONNECT", "ERR auth-failed", "ERR auth-failed", "AUTH s3cret", "PING"), sink.offers);
        assertEquals(2, counters.authFailures.sum());
    }

    @Test
    void shouldOfferTheClosingQuitEvenWhenTheBrokerHadNoRoomForIt()
    {
        sink.refuseFirstAttempts = true;
        open(TOKEN);
        send("AUTH a\nAUTH b\nAUTH c\nPING\n");
        drainRetries();
        assertEquals(List.of("CONNECT", "ERR auth-failed", "ERR auth-failed", "ERR auth-failed", "QUIT"), sink.offers);
    }

    @Test
    void shouldAnswerAuthNotEnabledAndLetEverythingThroughWhenAuthIsOff()
    {
        open(null);
        send("AUTH s3cret\nPING\n");
        assertEquals(List.of("CONNECT", "ERR auth-not-enabled", "PING"), sink.offers);
    }

    @Test
    void shouldCloseTheConnectionOnReaderIdleLikeAnyDisconnect()
    {
        open(null);
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        channel.runPendingTasks();
        assertFalse(channel.isActive());
        assertEquals(List.of("CONNECT", "DISCONNECT"), sink.offers);
        assertEquals(1, counters.idleCloses.sum());
    }

    private void open(final byte[] token)
    {
        final ConnectionHandler handler =
            new ConnectionHandler(1, sink, new TextFrontEnd(new LineParser(256), new AuthGate(token), counters), counters,
                ShardLookup.SINGLE, MemoryBudget.unlimited());
        channel = new EmbeddedChannel(new LineFrameDecoder(1024, handler), handler);
    }

    private void send(final String lines)
    {
        channel.writeInbound(Unpooled.copiedBuffer(lines, StandardCharsets.UTF_8));
        channel.runPendingTasks();
    }

    /** Lets the handler's scheduled retries run until nothing is left waiting. */
    private void drainRetries()
    {
        for (int i = 0; i < 100; i++)
        {
            channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            channel.runPendingTasks();
        }
    }

    /** Records each accepted offer as text; optionally refuses every first attempt, as a full ring does. */
    private static final class RecordingSink implements CommandSink
    {
        final List<String> offers = new ArrayList<>();
        Session session;
        boolean refuseFirstAttempts;
        private boolean refusedLast;

        @Override
        public boolean offerConnect(final Session session)
        {
            this.session = session;
            return record("CONNECT");
        }

        @Override
        public boolean offerCommand(final Session session, final ParsedLine line)
        {
            return record(describe(line));
        }

        @Override
        public boolean offerDisconnect(final Session session)
        {
            return record("DISCONNECT");
        }

        private boolean record(final String offer)
        {
            if (refuseFirstAttempts && !refusedLast)
            {
                refusedLast = true;
                return false;
            }
            refusedLast = false;
            offers.add(offer);
            return true;
        }

        private static String describe(final ParsedLine line)
        {
            if (line.command() == Command.INVALID)
            {
                return "ERR " + line.error().word();
            }
            if (line.argumentLength() < 0)
            {
                return line.command().name();
            }
            return line.command() + " "
                + line.line().toString(line.argumentIndex(), line.argumentLength(), StandardCharsets.UTF_8);
        }
    }
}
