package dev.topics.broker;

import java.net.InetSocketAddress;

/** Configurations for brokers launched by tests: loopback, port 0. Stateless. */
final class TestBrokers
{
    private TestBrokers()
    {
    }

    static BrokerConfig loopback()
    {
        return BrokerConfig.defaults().withBind(new InetSocketAddress("127.0.0.1", 0));
    }
}
