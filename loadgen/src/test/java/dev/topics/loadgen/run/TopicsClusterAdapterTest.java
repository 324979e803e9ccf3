package dev.topics.loadgen.run;

import dev.topics.broker.TestBrokers;
import dev.topics.broker.TopicsBroker;
import dev.topics.broker.cluster.ClusterConfig;
import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.adapter.TargetKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract's runs across a 3-node topics cluster launched in-process (Aeron endpoints on free
 * loopback UDP ports): publishers on node 1, subscribers round-robin on nodes 2 and 3, so the
 * loadgen is checked against the cluster it was extended for. Nothing waits for the members to
 * see each other: the setup probes must cope with interest reaching node 1 late.
 */
class TopicsClusterAdapterTest extends AdapterContract
{
    private static final int NODES = 3;

    @Override
    Broker start() throws Exception
    {
        final List<ClusterConfig.Member> members = new ArrayList<>();
        for (int id = 1; id <= NODES; id++)
        {
            members.add(new ClusterConfig.Member(id, new InetSocketAddress("127.0.0.1", freeUdpPort())));
        }
        final List<TopicsBroker> nodes = new ArrayList<>();
        try
        {
            for (int id = 1; id <= NODES; id++)
            {
                nodes.add(TopicsBroker.launch(TestBrokers.loopback().warmupSeconds(0)
                    .cluster(new ClusterConfig(members, id, ClusterConfig.TIMEOUT_MS_DEFAULT, ClusterConfig.TERM_LENGTH_DEFAULT,
                        ClusterConfig.MAX_PARK_MICROS_DEFAULT, null, ClusterConfig.LINK_BUFFER_BYTES_DEFAULT))
                    .build()));
            }
        }
        catch (final InterruptedException | RuntimeException e)
        {
            nodes.forEach(TopicsBroker::close);
            throw e;
        }
        final Target target = new Target(TargetKind.TOPICS, "topics-cluster", nodes.get(0).address(),
            List.of(nodes.get(1).address(), nodes.get(2).address()));
        return new Broker(target, () -> nodes.forEach(TopicsBroker::close));
    }

    private static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
