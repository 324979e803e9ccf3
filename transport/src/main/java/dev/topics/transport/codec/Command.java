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
 *
 * <p>The values after {@link #SNAPSHOT} come from the RESP front end only; they are neutral all the
 * same (a text verb for any of them would reuse the engine's handling as it is):
 * <ul>
 * <li>{@link #UNSUB_ALL}: ends every subscription of the kind {@link ParsedLine#match()} names
 *     (exact topics, or patterns of that syntax), one reply per subscription ended.</li>
 * <li>{@link #CHANNELS}: the topics with exact subscribers, optionally only those matching the
 *     pattern in the topic's place; {@link #NUMSUB}: the exact subscriber count of each name in
 *     {@link ParsedLine#nameCount()} names; {@link #NUMPAT}: how many distinct patterns exist.</li>
 * <li>{@link #GETNAME}: the connection's name, as {@link #NAME} set it.</li>
 * <li>{@link #HELLO}: switches the connection's reply encoding to the protocol version in
 *     {@link ParsedLine#detail()} (0: keep it) and answers with what the connection is.</li>
 * <li>{@link #RESET}: ends every subscription, forgets the name, restores the first encoding.</li>
 * <li>{@link #FLUSH}: drops every topic's latest value.</li>
 * <li>{@link #RAW}: a command the protocol answers without any engine state (an echo, a static
 *     table, an error worded by the parser): {@link ParsedLine#detail()} says which to the
 *     protocol's encoder, the engine only keeps it in order.</li>
 * </ul>
 *
 * <p>{@link #CLUSTER} is never parsed either: the broker's cluster link issues it, without a
 * session, for each message from another node (a forwarded publish, a delivery from a topic's
 * home, a peer's interest, a change of members), so that the engine applies it in order with
 * everything else.
 *
 * <p>{@link #MEMBERS} lists the cluster's members, as {@link #CLIENTS} lists connections (text only).
 */
public enum Command
{
    SUB, UNSUB, PUB, GET, PING, STATS, HELP, QUIT, AUTH, NAME, CLIENTS, INVALID, CONNECT, DISCONNECT, SNAPSHOT,
    UNSUB_ALL, CHANNELS, NUMSUB, NUMPAT, GETNAME, HELLO, RESET, FLUSH, RAW, CLUSTER, MEMBERS;

    /**
     * The longest connection name {@link #NAME} takes, in bytes, in any protocol: a name travels in
     * the slot of a topic, so the slots hold at least this many bytes whatever --max-topic-length is.
     */
    public static final int MAX_NAME_BYTES = 64;

    /**
     * Whether a connection whose protocol restricts subscribed connections (RESP2) may still send
     * this command while it has subscriptions; every other command is refused there. An
     * {@link #INVALID} command is already an error and keeps its own.
     */
    public boolean allowedWhileSubscribed()
    {
        return switch (this)
        {
            case SUB, UNSUB, UNSUB_ALL, PING, QUIT, RESET, INVALID, CONNECT, DISCONNECT, SNAPSHOT, CLUSTER -> true;
            default -> false;
        };
    }
}
