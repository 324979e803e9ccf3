package dev.topics.loadgen.run;

import dev.topics.loadgen.PeerServer;
import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.adapter.TargetKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The Redis adapter against a real redis-server on a free loopback port, no persistence. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisAdapterTest extends AdapterContract {
    private PeerServer server;

    @BeforeAll
    void startServer() throws Exception {
        server = PeerServer.redis();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    Target target() {
        return new Target(TargetKind.REDIS, server.address());
    }
}
