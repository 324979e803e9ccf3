package dev.topics.loadgen.run;

import dev.topics.loadgen.adapter.BrokerConnection;
import dev.topics.loadgen.adapter.InboundListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs on its own thread, the only reader of one publisher's connection: consumes what the
 * broker sends back to a publisher (Redis PUBLISH replies, NATS PINGs, errors) so the broker never
 * blocks on a full socket towards it. It blocks in {@code read} and costs nothing when idle.
 */
final class PublisherReplyReader implements Runnable, InboundListener
{
    private final BrokerConnection connection;
    private final Publisher publisher;
    private volatile boolean stopping;
    private volatile String failure;

    PublisherReplyReader(final BrokerConnection connection, final Publisher publisher)
    {
        this.connection = connection;
        this.publisher = publisher;
    }

    @Override
    public void run()
    {
        try
        {
            while (!stopping && connection.readAndDecode(this) >= 0)
            {
                // Each read is decoded by the listener methods below.
            }
        }
        catch (final IOException e)
        {
            if (!stopping)
            {
                failure = "publisher connection to " + connection.target() + ": " + e.getMessage();
            }
        }
    }

    /** Tells the thread that a close of its channel is expected. */
    void stop()
    {
        stopping = true;
    }

    @Override
    public void onServerPing()
    {
        publisher.owePong();
    }

    @Override
    public void onError(final byte[] buffer, final int offset, final int length)
    {
        if (failure == null)
        {
            failure = connection.target() + " answered a publisher: " + new String(buffer, offset, length, StandardCharsets.UTF_8);
        }
    }

    String failure()
    {
        return failure;
    }
}
