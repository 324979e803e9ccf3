package dev.topics.broker.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One reading of the broker's figures for the metrics endpoint: the STATS values, the protocol
 * errors by code, the bytes read and written, and for {@code /clients} every connection. The
 * engine owns most of these in plain fields that no other thread may read, so the endpoint does not
 * read them: it sends this request through the inbound ring (command {@code SNAPSHOT}) and the
 * engine fills it in order with every other command, exactly as it answers STATS.
 *
 * <p>Created by the asking thread (the HTTP thread), filled once by the engine thread
 * ({@link #stats()}, then {@link #fill}), or refused by the event loop that found the inbound ring
 * full ({@link #refuse()}); read by the asking thread only after {@link #await} returned true. The
 * latch orders that hand-over: everything written before {@code countDown} is visible after
 * {@code await}. A request the asker gave up on may still be filled later; nobody reads it then.
 */
public final class EngineSnapshot
{
    private final boolean withClients;
    private final CountDownLatch done = new CountDownLatch(1);
    // filled by the engine thread:
    private final Map<String, Long> stats = new LinkedHashMap<>();
    private final FieldSink statsSink = new StatsSink();
    private long[] errorsByCode = new long[0];
    private long receivedBytes;
    private long sentBytes;
    private List<ClientRecord> clients = List.of();
    // set by the event loop that could not offer it:
    private boolean refused;

    /** @param withClients whether the engine should list every connection too (O(connections) on its thread). */
    public EngineSnapshot(final boolean withClients)
    {
        this.withClients = withClients;
    }

    /** Engine thread: whether to list the connections. */
    public boolean withClients()
    {
        return withClients;
    }

    /** Engine thread: where the STATS values go, under their STATS keys, in order. */
    public FieldSink stats()
    {
        return statsSink;
    }

    /**
     * Engine thread, last: the rest of the figures; the asker may read them all from now on.
     *
     * @param errorsByCode  protocol errors answered, indexed by {@code ErrorCode.ordinal()}; a copy.
     * @param receivedBytes bytes read from every connection since start.
     * @param sentBytes     bytes handed to every connection since start.
     * @param clients       every connection, oldest first; empty unless {@link #withClients()}.
     */
    public void fill(final long[] errorsByCode, final long receivedBytes, final long sentBytes, final List<ClientRecord> clients)
    {
        this.errorsByCode = errorsByCode;
        this.receivedBytes = receivedBytes;
        this.sentBytes = sentBytes;
        this.clients = clients;
        done.countDown();
    }

    /** Event loop: the inbound ring had no room, so the engine will never see this request. */
    public void refuse()
    {
        refused = true;
        done.countDown();
    }

    /**
     * Asking thread: waits until the engine has filled this request; false when it did not within
     * {@code timeoutMs}, or when the ring had no room for it.
     */
    public boolean await(final long timeoutMs) throws InterruptedException
    {
        return done.await(timeoutMs, TimeUnit.MILLISECONDS) && !refused;
    }

    /** The STATS values by key, in the order of the STATS line. */
    public Map<String, Long> statsValues()
    {
        return Collections.unmodifiableMap(stats);
    }

    /** One STATS value; 0 for a key the STATS line does not have. */
    public long stat(final String key)
    {
        return stats.getOrDefault(key, 0L);
    }

    /** Protocol errors answered with {@code ErrorCode} of this ordinal since start. */
    public long errors(final int errorCodeOrdinal)
    {
        return errorCodeOrdinal < errorsByCode.length ? errorsByCode[errorCodeOrdinal] : 0;
    }

    public long receivedBytes()
    {
        return receivedBytes;
    }

    public long sentBytes()
    {
        return sentBytes;
    }

    public List<ClientRecord> clients()
    {
        return clients;
    }

    /** STATS values are all numbers. */
    private final class StatsSink implements FieldSink
    {
        @Override
        public void number(final String key, final long value)
        {
            stats.put(key, value);
        }

        @Override
        public void text(final String key, final String bytesAsChars)
        {
            throw new IllegalArgumentException("STATS values are numbers, not " + key + "=" + bytesAsChars);
        }
    }
}
