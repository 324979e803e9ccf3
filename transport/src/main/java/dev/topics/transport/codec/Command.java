package dev.topics.transport.codec;

/**
 * The protocol-neutral commands: what a parser makes of a client's input and what the engine
 * applies. A second wire protocol's parser produces these same values.
 *
 * <p>Immutable; safe on any thread. {@link #INVALID} is a parsed value, not an exception: the input
 * was not a valid command and {@link ParsedLine#error()} says why. {@link #CONNECT} and
 * {@link #DISCONNECT} are never parsed: the transport issues them when a connection opens and
 * closes, so they travel in order with the connection's commands. {@link #SNAPSHOT} is never
 * parsed either: the broker's metrics endpoint issues it, without a session, to read the engine's
 * figures in order with everything else.
 */
public enum Command
{
    SUB, UNSUB, PUB, GET, PING, STATS, HELP, QUIT, AUTH, NAME, CLIENTS, INVALID, CONNECT, DISCONNECT, SNAPSHOT;

    /**
     * The longest connection name {@link #NAME} takes, in bytes, in any protocol: a name travels in
     * the slot of a topic, so the slots hold at least this many bytes whatever --max-topic-length is.
     */
    public static final int MAX_NAME_BYTES = 64;
}
