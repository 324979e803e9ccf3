package dev.topics.transport;

import io.netty.util.concurrent.EventExecutor;

/** Which writer shard an event loop is. Stateless or immutable; safe on any thread. */
@FunctionalInterface
public interface ShardLookup
{
    /** Everything on one event loop is one shard. */
    ShardLookup SINGLE = loop -> 0;

    int shardOf(EventExecutor loop);
}
