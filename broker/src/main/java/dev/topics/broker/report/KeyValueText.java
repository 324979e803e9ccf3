package dev.topics.broker.report;

/**
 * Writes values as the text protocol does: {@code " key=value"} each, appended to a builder (the
 * STATS line, a CLIENT line). Values contain no spaces, so the pairs split at single spaces.
 *
 * <p>Used by the thread that owns the builder.
 */
public final class KeyValueText implements FieldSink
{
    private final StringBuilder text;

    public KeyValueText(final StringBuilder text)
    {
        this.text = text;
    }

    @Override
    public void number(final String key, final long value)
    {
        text.append(' ').append(key).append('=').append(value);
    }

    @Override
    public void text(final String key, final String bytesAsChars)
    {
        text.append(' ').append(key).append('=').append(bytesAsChars);
    }
}
