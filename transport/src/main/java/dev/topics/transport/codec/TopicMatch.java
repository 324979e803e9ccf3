package dev.topics.transport.codec;

/**
 * How the engine reads the topic of a SUB or UNSUB: as one exact topic, or as a pattern in one of
 * the pattern syntaxes. The parser decides, because only it knows the protocol: a text-protocol
 * {@code SUB a.*} is a pattern, while a second protocol may subscribe to the same bytes literally.
 *
 * <p>Immutable; safe on any thread.
 */
public enum TopicMatch
{
    /** The topic itself, byte for byte. */
    EXACT,
    /** A {@link TokenPatterns} pattern: {@code *} matches one token, a last {@code >} one or more. */
    TOKEN_PATTERN,
    /**
     * A Redis glob, as {@code PSUBSCRIBE} takes it: {@code *} any bytes, {@code ?} one byte,
     * {@code [...]} a set, {@code \} an escape, over the whole name (dots are ordinary bytes). No
     * parser produces it yet; the RESP front end will.
     */
    GLOB_PATTERN
}
