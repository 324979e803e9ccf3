package dev.topics.broker.egress;

import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.TopicMatch;

/**
 * The fields of an {@link OutboundEvent} that only replies and errors use, in an object of the
 * slot's own: a delivery, by far the most frequent event, then writes and reads a slot no larger
 * than it needs. With these fields in the slot itself, the slot grew from 64 to about 104 bytes
 * and the engine's publish benchmark (4 deliveries) from 127 to 175 ns.
 *
 * <p>Owned like its slot: filled by the engine thread, read and cleared by the slot's writer.
 */
final class ReplyFields
{
    TopicMatch match = TopicMatch.EXACT;
    ErrorCode error;
    /** STATS: the line without its CRLF; CLIENTS: the lines joined by CRLF. */
    String text;
    long count;
    int detail;
    /** Not to be sent, unless the encoder calls it a push. */
    boolean silent;
    byte[][] names;
    long[] numbers;

    /** Resets every field, for a new reply. */
    void reset()
    {
        match = TopicMatch.EXACT;
        error = null;
        text = null;
        count = 0;
        detail = 0;
        silent = false;
        names = null;
        numbers = null;
    }
}
