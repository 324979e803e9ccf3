package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One publisher writes as fast as the socket takes it, in large writes, into a broker whose
 * inbound ring is tiny, so the transport must stop reading that socket again and again; the
 * subscriber must still get every message, once, in order.
 *
 * <p>Leak detection is lowered from paranoid to advanced (one buffer in 128 tracked, with access
 * records) for this class only: paranoid records a stack trace on every byte the parser reads,
 * which slows the broker about tenfold, too slow for a flood to be a flood. A leak per message
 * would still be reported many times over 200,000 messages, and fail the class through
 * {@link NettyLeakGuard}.
 */
@ExtendWith(NettyLeakGuard.class)
class FloodTest
{
    private static final int MESSAGES = 200_000;
    private static final int WRITE_BYTES = 64 * 1024;

    @BeforeEach
    void sampleLeaks()
    {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.ADVANCED);
    }

    @AfterEach
    void trackEveryBufferAgain()
    {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    @Timeout(90)
    void shouldDeliverEveryFloodedMessageInOrderThroughBackPressure() throws Exception
    {
        try (TopicsBroker broker = TopicsBroker.launch(TestBrokers.loopback().inboundRingSize(64).outboundRingSize(1024).build());
             LineClient subscriber = new LineClient(broker.address());
             LineClient publisher = new LineClient(broker.address());
             LineClient control = new LineClient(broker.address()))
        {
            subscriber.send("SUB flood");
            assertEquals("SUBSCRIBED flood", subscriber.readLine());
            final Map<String, Long> before = StatsReader.read(control);

            final CompletableFuture<Long> flooding = CompletableFuture.supplyAsync(() -> flood(publisher));
            for (int i = 0; i < MESSAGES; i++)
            {
                final String line = subscriber.readLine();
                if (!line.equals("UPDATED flood " + i))
                {
                    assertEquals("UPDATED flood " + i, line, "message " + i + " of " + MESSAGES);
                }
            }
            final long bytesWritten = flooding.get(60, TimeUnit.SECONDS);
            subscriber.send("PING end");
            assertEquals("PONG end", subscriber.readLine(), "nothing may follow the last message");

            final Map<String, Long> after = StatsReader.read(control);
            final long readPauses = after.get("read_pauses") - before.get("read_pauses");
            System.out.printf("flood: %d messages (%d bytes) published and delivered in order, read_pauses=%d%n",
                MESSAGES, bytesWritten, readPauses);
            assertEquals(MESSAGES, after.get("published") - before.get("published"));
            assertEquals(MESSAGES, after.get("delivered") - before.get("delivered"));
            assertTrue(readPauses > 0, "the flood must have made the transport pause reading");
            assertEquals(0, after.get("errors"));
        }
    }

    /** Writes every PUB in large writes, then waits for its PONG; returns the bytes written. */
    private static long flood(final LineClient publisher)
    {
        try
        {
            final StringBuilder batch = new StringBuilder(WRITE_BYTES + 64);
            long bytes = 0;
            for (int i = 0; i < MESSAGES; i++)
            {
                batch.append("PUB flood ").append(i).append("\r\n");
                if (batch.length() >= WRITE_BYTES || i == MESSAGES - 1)
                {
                    final byte[] chunk = batch.toString().getBytes(StandardCharsets.US_ASCII);
                    publisher.sendRaw(chunk);
                    bytes += chunk.length;
                    batch.setLength(0);
                }
            }
            publisher.send("PING flooded");
            assertEquals("PONG flooded", publisher.readLine());
            return bytes;
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
