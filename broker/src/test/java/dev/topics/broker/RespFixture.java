package dev.topics.broker;

import dev.topics.testing.LineClient;
import dev.topics.testing.RespClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One test's broker with both listeners (text and RESP) on loopback port 0, and every client the
 * test opened on either; {@link #close} closes the clients, then the broker. Used by one test thread
 * (clients may be handed to others, each to one).
 */
final class RespFixture implements AutoCloseable
{
    private final TopicsBroker broker;
    private final List<java.net.Socket> clients = new ArrayList<>();

    private RespFixture(final TopicsBroker broker)
    {
        this.broker = broker;
    }

    /** A broker with {@link TestBrokers#loopback()}'s configuration plus a RESP listener on 127.0.0.1:0. */
    static RespFixture start() throws InterruptedException
    {
        return start(TestBrokers.loopback());
    }

    /** A broker with {@code config} plus a RESP listener on 127.0.0.1:0. */
    static RespFixture start(final BrokerConfig.Builder config) throws InterruptedException
    {
        return new RespFixture(TopicsBroker.launch(config.respBind(new InetSocketAddress("127.0.0.1", 0)).build()));
    }

    TopicsBroker broker()
    {
        return broker;
    }

    /** The RESP listener's address. */
    InetSocketAddress respAddress()
    {
        return broker.respAddress();
    }

    /** A new connection to the RESP listener, closed with the fixture. */
    synchronized RespClient resp() throws IOException
    {
        final RespClient client = new RespClient(broker.respAddress());
        clients.add(client.socket());
        return client;
    }

    /** A new connection to the text listener, closed with the fixture. */
    synchronized LineClient text() throws IOException
    {
        final LineClient client = new LineClient(broker.address());
        clients.add(client.socket());
        return client;
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            synchronized (this)
            {
                for (final java.net.Socket client : clients)
                {
                    client.close();
                }
            }
        }
        finally
        {
            broker.close();
        }
    }
}
