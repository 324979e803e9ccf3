package dev.topics.broker.report;

/**
 * Receives named values in order: the one list of keys that both a text reply ({@code STATS},
 * {@code CLIENTS}) and a JSON page ({@code /stats}, {@code /clients}) are written from, so the two
 * cannot drift apart.
 *
 * <p>Used by one thread at a time: whoever lists the values calls the sink it was given.
 */
public interface FieldSink
{
    void number(String key, long value);

    /**
     * A text value whose chars stand for bytes (each char 0 to 255, as the protocol's replies are
     * written): a name a client gave is passed byte for byte, whatever its encoding.
     */
    void text(String key, String bytesAsChars);
}
