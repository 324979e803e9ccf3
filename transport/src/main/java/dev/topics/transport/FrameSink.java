package dev.topics.transport;

import io.netty.buffer.ByteBuf;

/**
 * Where a connection's frame decoder (lines, or RESP arrays) hands what it framed, in order: the
 * connection's {@link ConnectionHandler}.
 *
 * <p>Called on the connection's event-loop thread only.
 */
public interface FrameSink
{
    /** {@code bytes} were read from the socket, before framing. */
    void onRead(int bytes);

    /**
     * One request at {@code buffer[start, end)}, read at {@code readNanos}; valid only during the
     * call (the sink copies what must wait).
     */
    void onLine(ByteBuf buffer, int start, int end, long readNanos);

    /** A request longer than --max-line ended and was discarded; answered in its place. */
    void onLineTooLong();

    /** The input of a request could not be gathered (out of memory); answered in its place. */
    void onOutOfMemory();

    /**
     * Input that cannot be framed: answered with the protocol's wording number {@code detail},
     * then the connection is closed. The decoder passes on nothing after it.
     */
    void onProtocolError(int detail);
}
