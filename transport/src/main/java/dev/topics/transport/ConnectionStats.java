package dev.topics.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One connection's traffic as its event loop sees it, for {@code CLIENTS}: messages and bytes in
 * and out, when it last sent anything, its output not yet taken by the socket, and why it is being
 * closed.
 *
 * <p>Written only by the connection's event-loop thread: its {@link ConnectionHandler} records
 * input, and the writer of its shard, which runs on that same loop, records output. Read by any
 * thread, in practice the engine when it lists the connections. Every field has that one writer,
 * which updates it from its own last value and publishes it with a release store
 * ({@code VarHandle.setRelease}: a plain store on x86; no lock, no CAS, no allocation), so the hot
 * path pays a store, not an atomic read-modify-write. A reader's acquire load sees a recent value of
 * each field, not one instant of all of them together.
 */
// Some fields are only ever read and written through their VarHandles, which PMD does not see.
@SuppressWarnings("PMD.UnusedPrivateField")
public final class ConnectionStats
{
    private static final VarHandle MESSAGES_IN = field("messagesIn", long.class);
    private static final VarHandle BYTES_IN = field("bytesIn", long.class);
    private static final VarHandle LAST_INPUT_NS = field("lastInputNs", long.class);
    private static final VarHandle MESSAGES_OUT = field("messagesOut", long.class);
    private static final VarHandle BYTES_OUT = field("bytesOut", long.class);
    private static final VarHandle PENDING_BYTES = field("pendingBytes", long.class);
    private static final VarHandle CLOSE_REASON = field("closeReason", CloseReason.class);

    private long messagesIn;
    private long bytesIn;
    private long lastInputNs;
    private long messagesOut;
    private long bytesOut;
    private long pendingBytes;
    private CloseReason closeReason;

    /** @param openedNs when the connection opened ({@link System#nanoTime()}): its input is idle since. */
    ConnectionStats(final long openedNs)
    {
        this.lastInputNs = openedNs;
    }

    /** Event loop: {@code bytes} were read from the connection at {@code nowNs}. */
    void onRead(final int bytes, final long nowNs)
    {
        BYTES_IN.setRelease(this, bytesIn + bytes);
        LAST_INPUT_NS.setRelease(this, nowNs);
    }

    /** Event loop: one more message (a {@code PUB}) was taken from the connection. */
    void onMessageIn()
    {
        MESSAGES_IN.setRelease(this, messagesIn + 1);
    }

    /**
     * Writer, on the event loop: the totals handed to the channel so far (deliveries, and bytes of
     * everything written). Call before flushing them, so that once the client has them, so does a
     * reader here.
     */
    public void onOutput(final long messagesOut, final long bytesOut)
    {
        MESSAGES_OUT.setRelease(this, messagesOut);
        BYTES_OUT.setRelease(this, bytesOut);
    }

    /** Writer, on the event loop: the bytes the channel holds that the socket has not taken yet. */
    public void onPending(final long pendingBytes)
    {
        PENDING_BYTES.setRelease(this, pendingBytes);
    }

    /** Event loop: the connection is being closed for {@code reason}; the first reason given stays. */
    public void closing(final CloseReason reason)
    {
        if (closeReason == null)
        {
            CLOSE_REASON.setRelease(this, reason);
        }
    }

    /** {@code PUB}s taken from the connection. */
    public long messagesIn()
    {
        return (long)MESSAGES_IN.getAcquire(this);
    }

    /** Bytes read from the connection (after TLS). */
    public long bytesIn()
    {
        return (long)BYTES_IN.getAcquire(this);
    }

    /** When the connection last sent anything ({@link System#nanoTime()}), or when it opened. */
    public long lastInputNs()
    {
        return (long)LAST_INPUT_NS.getAcquire(this);
    }

    /** Deliveries ({@code UPDATED} lines) handed to the connection. */
    public long messagesOut()
    {
        return (long)MESSAGES_OUT.getAcquire(this);
    }

    /** Bytes of everything handed to the connection, pending ones included. */
    public long bytesOut()
    {
        return (long)BYTES_OUT.getAcquire(this);
    }

    /** Output queued that the socket has not taken, as counted against {@code --max-pending}. */
    public long pendingBytes()
    {
        return (long)PENDING_BYTES.getAcquire(this);
    }

    /** Why the connection is being closed, or null while it is not. */
    public CloseReason closeReason()
    {
        return (CloseReason)CLOSE_REASON.getAcquire(this);
    }

    private static VarHandle field(final String name, final Class<?> type)
    {
        try
        {
            return MethodHandles.lookup().findVarHandle(ConnectionStats.class, name, type);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }
}
