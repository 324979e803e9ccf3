package dev.topics.broker;

import java.nio.charset.StandardCharsets;

/**
 * Expected RESP bytes, written the way Redis 7.0 writes them, for the RESP tests. Each method
 * returns the raw text of one value (CRLFs included). Stateless.
 */
final class Resp
{
    static final String OK = "+OK\r\n";
    static final String PONG = "+PONG\r\n";
    static final String NIL2 = "$-1\r\n";
    static final String NIL3 = "_\r\n";
    /** Redis' refusal of a command in RESP2 subscribed mode, for {@code name} (lower case). */
    static String cantExecute(final String name)
    {
        return "-ERR Can't execute '" + name
            + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n";
    }

    private Resp()
    {
    }

    static String bulk(final String text)
    {
        return "$" + text.getBytes(StandardCharsets.UTF_8).length + "\r\n" + text + "\r\n";
    }

    static String integer(final long value)
    {
        return ":" + value + "\r\n";
    }

    /** A RESP2 array ({@code *}) of already encoded values. */
    static String array(final String... values)
    {
        return aggregate('*', values);
    }

    /** A RESP3 push ({@code >}) of already encoded values. */
    static String push(final String... values)
    {
        return aggregate('>', values);
    }

    private static String aggregate(final char type, final String... values)
    {
        return type + String.valueOf(values.length) + "\r\n" + String.join("", values);
    }

    /** A (p)(un)subscribe confirmation in RESP2; {@code name} null is the nil name. */
    static String confirm(final String kind, final String name, final long count)
    {
        return array(bulk(kind), name == null ? NIL2 : bulk(name), integer(count));
    }

    /** A (p)(un)subscribe confirmation in RESP3 (a push); {@code name} null is the null name. */
    static String confirm3(final String kind, final String name, final long count)
    {
        return push(bulk(kind), name == null ? NIL3 : bulk(name), integer(count));
    }

    static String message(final String channel, final String payload)
    {
        return array(bulk("message"), bulk(channel), bulk(payload));
    }

    static String pmessage(final String pattern, final String channel, final String payload)
    {
        return array(bulk("pmessage"), bulk(pattern), bulk(channel), bulk(payload));
    }

    static String message3(final String channel, final String payload)
    {
        return push(bulk("message"), bulk(channel), bulk(payload));
    }

    static String pmessage3(final String pattern, final String channel, final String payload)
    {
        return push(bulk("pmessage"), bulk(pattern), bulk(channel), bulk(payload));
    }
}
