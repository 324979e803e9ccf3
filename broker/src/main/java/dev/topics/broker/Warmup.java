package dev.topics.broker;

import dev.topics.transport.SecurityConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs on the thread that starts the broker (main), before the real broker listens: compiles the
 * hot path by driving a throwaway {@link TopicsBroker} with the same settings, on 127.0.0.1 port
 * 0, from plain blocking sockets in this thread. No real topic, connection or STATS counter is
 * touched (the throwaway has its own), while the JIT's compiled code, which belongs to classes and
 * not to instances, serves the real broker from its first client.
 *
 * <p>Why: a cold broker needs about 30 s of load before C2 has compiled the parser, the rings, the
 * engine and the writers; until then its first clients see latencies of milliseconds
 * (docs/benchmarks.md, Cold start).
 *
 * <pre>
 *   publisher --PUB one / PUB fan, GET, PING--> throwaway broker --UPDATED--> subscriber 0 (one, fan)
 *                                                                 --UPDATED--> subscriber 1, 2 (fan)
 *   subscriber 2 also SUBs and UNSUBs a topic each round
 * </pre>
 *
 * <p>One thread, no reader threads: each round sends a batch small enough to fit in the loopback
 * socket buffers, then reads every reply and delivery back before the next, so nothing can block.
 * Bounded by a time budget and by {@link #MAX_MESSAGES}; never fails the start: any failure is
 * logged and the warm-up simply ends.
 */
public final class Warmup
{
    /**
     * Most PUBs sent. C2 compiles a method after about 10,000 invocations or loop back-edges; 300,000
     * publications (600,000 deliveries) run every hot method well past that, and on 2 cores take
     * about 1 s, so the default 2 s budget rarely ends it first.
     */
    public static final int MAX_MESSAGES = 300_000;

    private static final Logger LOG = Logger.getLogger(Warmup.class.getName());
    /** PUBs per round: 256 small and large ones, well within any loopback socket buffer. */
    private static final int BATCH = 256;
    private static final int SUBSCRIBERS = 3;
    /** A read that waits this long means the throwaway broker is stuck: give up. */
    private static final int READ_TIMEOUT_MS = 2_000;
    private static final byte[] SMALL = "0123456789abcdef0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Over 256 bytes, so that fan-out shares one frame between subscribers, as it does for real. */
    private static final byte[] LARGE = new byte[300];

    static
    {
        Arrays.fill(LARGE, (byte)'x');
    }

    private Warmup()
    {
    }

    /**
     * Warms up for at most {@code budgetMs} (nothing when 0), with the settings in
     * {@code settings} (which it changes) but for the address, which becomes 127.0.0.1:0, and
     * TLS, which is left off (a plain socket cannot speak it). The auth token is kept, and sent,
     * so the auth gate compiles too. Never throws.
     *
     * @return the PUBs that went through, for the log and the tests.
     */
    public static long run(final BrokerConfig.Builder settings, final long budgetMs)
    {
        if (budgetMs <= 0)
        {
            return 0;
        }
        final long startNs = System.nanoTime();
        long published = 0;
        try
        {
            final BrokerConfig config = throwawayConfig(settings);
            // Its shutdown report ("stopped after N publications") is not about the real broker.
            final Logger brokerLog = Logger.getLogger(TopicsBroker.class.getName());
            final Level brokerLevel = brokerLog.getLevel();
            brokerLog.setLevel(Level.WARNING);
            try (TopicsBroker broker = TopicsBroker.launch(config))
            {
                published = drive(broker.address(), config.security().authToken(), startNs + TimeUnit.MILLISECONDS.toNanos(budgetMs));
            }
            finally
            {
                brokerLog.setLevel(brokerLevel);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            LOG.warning("warm-up interrupted");
        }
        catch (final Exception | LinkageError ex)
        {
            LOG.log(Level.WARNING, "warm-up failed, starting without it: " + ex, ex);
        }
        // The throwaway's rings (about 9 MiB with the default sizes) are garbage now, promoted to
        // the old generation by the warm-up's own collections; one full collection before the
        // first client lets the heap shrink back (docs/operations.md, "JVM flags and memory").
        System.gc();
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        final long count = published;
        // FINE: the listening line stays the first line a default start prints, on either stream.
        LOG.fine(() -> "warmed up with " + count + " publications in " + tookMs + " ms");
        return published;
    }

    private static BrokerConfig throwawayConfig(final BrokerConfig.Builder settings)
    {
        final BrokerConfig real = settings.build();
        final SecurityConfig security = real.security();
        return settings
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .security(new SecurityConfig(security.authToken(), null, null, security.idleTimeout()))
            .metricsPort(BrokerConfig.METRICS_PORT_OFF) // nobody scrapes a throwaway broker
            .respBind(null) // nor connects to its Redis port
            .cluster(null) // and it joins no cluster
            .build();
    }

    private static long drive(final InetSocketAddress address, final String authToken, final long deadlineNs) throws IOException
    {
        final Peer publisher = new Peer(address, authToken);
        final Peer[] subscribers = new Peer[SUBSCRIBERS];
        try
        {
            for (int i = 0; i < SUBSCRIBERS; i++)
            {
                subscribers[i] = new Peer(address, authToken);
                if (i == 0)
                {
                    subscribers[i].send("SUB warmup-one\n");
                }
                subscribers[i].send("SUB warmup-fan\n");
                subscribers[i].awaitLines(i == 0 ? 2 : 1);
            }
            long published = 0;
            for (int round = 0; published < MAX_MESSAGES && System.nanoTime() < deadlineNs; round++)
            {
                published += round(publisher, subscribers, round);
            }
            return published;
        }
        finally
        {
            publisher.close();
            for (final Peer subscriber : subscribers)
            {
                if (subscriber != null)
                {
                    subscriber.close();
                }
            }
        }
    }

    /** One batch: half to the 1 → 1 topic, half to the 1 → 3 topic, then GET, SUB/UNSUB, PING. */
    private static int round(final Peer publisher, final Peer[] subscribers, final int round) throws IOException
    {
        for (int i = 0; i < BATCH; i++)
        {
            final boolean fan = (i & 1) == 1;
            publisher.append(fan ? "PUB warmup-fan " : "PUB warmup-one ");
            publisher.append((i & 15) == 15 ? LARGE : SMALL);
            publisher.append("\n");
        }
        publisher.append("GET warmup-one\nPING " + round + "\n");
        publisher.flush();
        final Peer churner = subscribers[SUBSCRIBERS - 1];
        churner.send("SUB warmup-churn\nUNSUB warmup-churn\n");
        publisher.awaitLines(2);
        subscribers[0].awaitLines(BATCH);
        for (int i = 1; i < SUBSCRIBERS; i++)
        {
            subscribers[i].awaitLines(BATCH / 2 + (subscribers[i] == churner ? 2 : 0));
        }
        return BATCH;
    }

    /**
     * One blocking connection to the throwaway broker, used by the warm-up thread only. Counts
     * lines rather than parsing them: the broker's tests check what they say.
     */
    private static final class Peer implements AutoCloseable
    {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] readBuffer = new byte[64 * 1024];
        private final byte[] writeBuffer = new byte[128 * 1024];
        private int written;

        Peer(final InetSocketAddress address, final String authToken) throws IOException
        {
            socket = new Socket(address.getAddress(), address.getPort());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            if (authToken != null)
            {
                send("AUTH " + authToken + "\n");
                awaitLines(1);
            }
        }

        void append(final String text)
        {
            append(text.getBytes(StandardCharsets.UTF_8));
        }

        void append(final byte[] bytes)
        {
            System.arraycopy(bytes, 0, writeBuffer, written, bytes.length);
            written += bytes.length;
        }

        void flush() throws IOException
        {
            out.write(writeBuffer, 0, written);
            out.flush();
            written = 0;
        }

        void send(final String text) throws IOException
        {
            append(text);
            flush();
        }

        /** Reads until {@code lines} more line endings have arrived; the broker sends nothing unasked. */
        void awaitLines(final int lines) throws IOException
        {
            int remaining = lines;
            while (remaining > 0)
            {
                final int read = in.read(readBuffer);
                if (read < 0)
                {
                    throw new IOException("the warm-up broker closed a connection with " + remaining + " lines to come");
                }
                for (int i = 0; i < read; i++)
                {
                    if (readBuffer[i] == '\n')
                    {
                        remaining--;
                    }
                }
            }
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }
}
