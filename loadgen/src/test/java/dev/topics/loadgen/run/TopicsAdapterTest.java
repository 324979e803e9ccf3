package dev.topics.loadgen.run;

import dev.topics.broker.BrokerConfig;
import dev.topics.broker.TopicsBroker;
import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.adapter.TargetKind;

import java.net.InetSocketAddress;

/** The topics adapter against the real broker, launched in-process on a free port: the contract's runs. */
class TopicsAdapterTest extends AdapterContract
{
    @Override
    Broker start() throws Exception
    {
        final TopicsBroker broker = TopicsBroker.launch(BrokerConfig.builder().bind(new InetSocketAddress("127.0.0.1", 0)).build());
        return new Broker(new Target(TargetKind.TOPICS, broker.address()), broker);
    }
}
