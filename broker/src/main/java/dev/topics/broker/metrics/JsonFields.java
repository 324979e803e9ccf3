package dev.topics.broker.metrics;

import dev.topics.broker.report.FieldSink;

import java.nio.charset.StandardCharsets;

/**
 * Writes values as the members of one JSON object into a builder: {@code {"key":value,...}}. Text
 * values are the protocol's bytes (one char each) and are read as UTF-8, so a name sent in UTF-8
 * shows as itself; bytes that are not UTF-8 show as U+FFFD. Quotes, backslashes and control
 * characters are escaped as RFC 8259 requires.
 *
 * <p>Used by the thread that owns the builder.
 */
final class JsonFields implements FieldSink
{
    private final StringBuilder json;
    private boolean empty = true;

    /** Opens an object in {@code json}; {@link #close()} ends it. */
    JsonFields(final StringBuilder json)
    {
        this.json = json;
        json.append('{');
    }

    @Override
    public void number(final String key, final long value)
    {
        key(key);
        json.append(value);
    }

    @Override
    public void text(final String key, final String bytesAsChars)
    {
        key(key);
        string(json, new String(bytesAsChars.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    /** Starts a member whose value is an object; close that one before adding here again. */
    JsonFields object(final String key)
    {
        key(key);
        return new JsonFields(json);
    }

    /** Starts a member whose value is an array, and returns the builder to write its elements into. */
    StringBuilder array(final String key)
    {
        key(key);
        return json.append('[');
    }

    void close()
    {
        json.append('}');
    }

    private void key(final String key)
    {
        if (!empty)
        {
            json.append(',');
        }
        empty = false;
        string(json, key);
        json.append(':');
    }

    /** A JSON string: quoted, with {@code "}, {@code \} and control characters escaped. */
    static void string(final StringBuilder json, final String value)
    {
        json.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                json.append('\\').append(c);
            }
            else if (c < 0x20 || c == 0x7F)
            {
                json.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                json.append(c);
            }
        }
        json.append('"');
    }
}
