package dev.topics.loadgen.run;

import dev.topics.loadgen.PeerServer;
import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.adapter.TargetKind;

/** The Redis adapter against a real redis-server on a free loopback port: the contract's runs. */
class RedisAdapterTest extends AdapterContract
{
    @Override
    Broker start() throws Exception
    {
        final PeerServer server = PeerServer.redis();
        return new Broker(new Target(TargetKind.REDIS, server.address()), server);
    }
}
