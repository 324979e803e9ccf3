package dev.topics.loadgen.adapter;

/**
 * Called on the thread that reads a connection: what a {@link FrameDecoder} found in the bytes.
 * Implementations must not keep {@code buffer}: it is reused for the next read.
 *
 * <p>Events a reader does not expect on its connection (a delivery to a publisher, a publish
 * reply to a subscriber) are ignored by default; a server PING and an error must be handled.
 */
public interface InboundListener
{
    /**
     * Called once per read, before its frames are decoded, with the time the bytes arrived: one
     * clock read per batch instead of one per message.
     */
    default void onRead(final long receivedNs)
    {
    }

    /** A published message was delivered; its payload is {@code buffer[offset, offset + length)}. */
    default void onDelivery(final byte[] buffer, final int offset, final int length)
    {
    }

    /** The server confirmed one subscription (the PONG after them is what proves all are active). */
    default void onSubscribed()
    {
    }

    /** The server answered our PING: everything we sent before it has been processed. */
    default void onPong()
    {
    }

    /** The server answered a publish with the number of receivers (Redis PUBLISH). */
    default void onPublishReply(final long receivers)
    {
    }

    /** The server pinged us (NATS) and expects a PONG. */
    void onServerPing();

    /** The server reported an error; {@code buffer[offset, offset + length)} is its text. */
    void onError(byte[] buffer, int offset, int length);
}
