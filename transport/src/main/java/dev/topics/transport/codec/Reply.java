package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;

/**
 * What the engine answers to one command, as a {@link ReplyEncoder} reads it to write the reply in
 * its protocol: the neutral figures, never bytes of a protocol (except a payload the same protocol
 * encoded on the way in).
 *
 * <p>Implemented by the outbound ring's slot; read on the writer's thread while it writes the slot.
 */
public interface Reply
{
    /** The command answered. */
    Command command();

    /**
     * SUB, UNSUB, UNSUB_ALL: the topic or pattern (null: UNSUB_ALL found nothing to end); GET: the
     * topic; GETNAME: the name or null; CHANNELS: null. Exact length; never changed afterwards.
     */
    byte[] topic();

    /** SUB, UNSUB, UNSUB_ALL: how {@link #topic()} is matched (exact, or a pattern syntax). */
    TopicMatch match();

    /**
     * GET: a copy of the latest delivery frame, or null; PING, AUTH, RAW: their ingress frame,
     * or null. The encoder takes it over and releases it.
     */
    ByteBuf takePayload();

    /** STATS: the line without its line ending; CLIENTS: the lines joined by CRLF; else null. */
    String text();

    /**
     * SUB, UNSUB, UNSUB_ALL, PING: the connection's subscriptions after the command; PUB: the
     * subscriptions that received it (a connection counts once per matching subscription); NUMPAT:
     * the distinct patterns; GET: the topic's length in the frame; else 0.
     */
    long count();

    /** The command's {@link ParsedLine#detail()} as parsed. */
    int detail();

    /** CHANNELS: the names; NUMSUB: the names asked for, in order; else null. */
    byte[][] names();

    /** NUMSUB: the subscriber count of each of {@link #names()}; else null. */
    long[] numbers();

    /** The connection's id (CLIENT ID, HELLO). */
    long sessionId();
}
