package dev.topics.loadgen.run;

import dev.topics.broker.TestBrokers;
import dev.topics.broker.TopicsBroker;
import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.adapter.TargetKind;

/** The topics adapter against the real broker, launched in-process on a free port: the contract's runs. */
class TopicsAdapterTest extends AdapterContract
{
    @Override
    Broker start() throws Exception
    {
        final TopicsBroker broker = TestBrokers.launch();
        return new Broker(new Target(TargetKind.TOPICS, broker.address()), broker);
    }
}
