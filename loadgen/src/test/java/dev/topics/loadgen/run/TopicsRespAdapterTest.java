package dev.topics.loadgen.run;

import dev.topics.loadgen.PeerServer;
import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.adapter.TargetKind;

/**
 * The topics-resp target through the whole loadgen, against a real redis-server standing in for
 * the broker's RESP port (which is to be byte-compatible with Redis 7.0): proves the target kind
 * wires the Redis adapter end to end. Switch to the in-process broker's RESP port once it has one.
 */
class TopicsRespAdapterTest extends AdapterContract
{
    @Override
    Broker start() throws Exception
    {
        final PeerServer server = PeerServer.redis();
        return new Broker(new Target(TargetKind.TOPICS_RESP, server.address()), server);
    }
}
