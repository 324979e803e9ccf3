package dev.topics.loadgen.run;

import dev.topics.loadgen.PeerServer;
import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.adapter.TargetKind;

import java.util.List;

/**
 * The contract's runs across a real 3-node NATS cluster: publishers on node 1, subscribers
 * round-robin on nodes 2 and 3, so every delivery crosses a route and every subscription must
 * reach node 1 before the run measures, which the setup probes make sure of.
 */
class NatsClusterAdapterTest extends AdapterContract
{
    @Override
    Broker start() throws Exception
    {
        final List<PeerServer> nodes = PeerServer.natsCluster(3);
        final Target target = new Target(TargetKind.NATS, "nats-cluster", nodes.get(0).address(),
            List.of(nodes.get(1).address(), nodes.get(2).address()));
        return new Broker(target, () -> nodes.forEach(PeerServer::close));
    }
}
