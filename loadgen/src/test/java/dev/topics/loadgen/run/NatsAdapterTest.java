package dev.topics.loadgen.run;

import dev.topics.loadgen.PeerServer;
import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.adapter.TargetKind;

/** The NATS adapter against a real nats-server on a free loopback port: the contract's runs. */
class NatsAdapterTest extends AdapterContract
{
    @Override
    Broker start() throws Exception
    {
        final PeerServer server = PeerServer.nats();
        return new Broker(new Target(TargetKind.NATS, server.address()), server);
    }
}
