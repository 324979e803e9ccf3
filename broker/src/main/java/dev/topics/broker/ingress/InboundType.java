package dev.topics.broker.ingress;

/** What an {@link InboundEvent} asks the engine to do. Immutable; safe on any thread. */
public enum InboundType
{
    CONNECT, DISCONNECT, SUB, UNSUB, PUB, GET, PING, STATS, HELP, QUIT, ERROR,
    /** A reply encoded on the event loop (the OK to AUTH), passed through in order like PONG. */
    REPLY
}
