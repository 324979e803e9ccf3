package dev.topics.broker;

import java.net.InetSocketAddress;

/** Configurations for brokers launched by tests: loopback, port 0. Stateless. */
final class TestBrokers
{
    private TestBrokers()
    {
    }

    /** A builder with the defaults but for the address: loopback, port 0; build it or change more. */
    static BrokerConfig.Builder loopback()
    {
        return BrokerConfig.builder().bind(new InetSocketAddress("127.0.0.1", 0));
    }
}
