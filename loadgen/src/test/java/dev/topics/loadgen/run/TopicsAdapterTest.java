package dev.topics.loadgen.run;

import dev.topics.broker.BrokerConfig;
import dev.topics.broker.TopicsBroker;
import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.adapter.TargetKind;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The topics adapter against the real broker, launched in-process on a free loopback port. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicsAdapterTest extends AdapterContract {
    private TopicsBroker broker;

    @BeforeAll
    void launchBroker() throws InterruptedException {
        broker = TopicsBroker.launch(BrokerConfig.defaults().withBind(new InetSocketAddress("127.0.0.1", 0)));
    }

    @AfterAll
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    Target target() {
        return new Target(TargetKind.TOPICS, broker.address());
    }
}
