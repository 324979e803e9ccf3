package dev.topics.loadgen.run;

import dev.topics.loadgen.PeerServer;
import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.adapter.TargetKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The NATS adapter against a real nats-server on a free loopback port. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NatsAdapterTest extends AdapterContract {
    private PeerServer server;

    @BeforeAll
    void startServer() throws Exception {
        server = PeerServer.nats();
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    Target target() {
        return new Target(TargetKind.NATS, server.address());
    }
}
