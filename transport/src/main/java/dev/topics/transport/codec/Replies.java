package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * The text protocol's encoder: every line the server sends on the text port. Each method
 * allocates exactly one buffer of the exact size from the given allocator; the caller owns it.
 *
 * <p>Stateless; safe on any thread.
 */
public final class Replies implements ReplyEncoder
{
    /** The one instance: the encoder of every text-protocol session. */
    public static final Replies TEXT = new Replies();

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] UPDATED = ascii("UPDATED ");
    private static final byte[] VALUE = ascii("VALUE ");
    private static final byte[] SUBSCRIBED = ascii("SUBSCRIBED ");
    private static final byte[] UNSUBSCRIBED = ascii("UNSUBSCRIBED ");
    private static final byte[] NOVALUE = ascii("NOVALUE ");
    private static final byte[] PONG = ascii("PONG");
    private static final byte[] BYE = ascii("BYE\r\n");
    private static final byte[] OK = ascii("OK\r\n");
    private static final byte[] END = ascii("END\r\n");
    private static final byte[] HELP = ascii(String.join("\r\n",
        "HELP topics commands, one per line, verbs in any case:",
        "HELP SUB <topic>            subscribe; replies SUBSCRIBED <topic>",
        "HELP SUB <pattern>          * is any one token, a last > one or more: SUB orders.*.paid, SUB orders.>",
        "HELP                        a message reaches a connection once, however many subscriptions match",
        "HELP UNSUB <topic>          unsubscribe; replies UNSUBSCRIBED <topic>",
        "HELP PUB <topic> <message>  publish; subscribers get UPDATED <topic> <message>",
        "HELP GET <topic>            latest value: VALUE <topic> <message> or NOVALUE <topic>",
        "HELP PING [token]           PONG [token] once everything sent before it is done",
        "HELP STATS                  server counters on one line",
        "HELP QUIT                   replies BYE and closes the connection",
        "HELP AUTH <token>           when the server requires a token: send it first; replies OK",
        "HELP NAME <name>            names this connection in CLIENTS; replies OK",
        "HELP CLIENTS                one line CLIENT id=... per connection, then END",
        "HELP MEMBERS                in a cluster, one line MEMBER id=... per node, then END",
        "END", ""));

    private Replies()
    {
    }

    @Override
    public ByteBuf ingressFrame(final ByteBufAllocator alloc, final ParsedLine line)
    {
        return switch (line.command())
        {
            case PING -> pong(alloc, line);
            case AUTH -> copy(alloc, OK);
            default -> null;
        };
    }

    @Override
    public ByteBuf reply(final ByteBufAllocator alloc, final Reply reply)
    {
        final ByteBuf payload = reply.takePayload();
        return switch (reply.command())
        {
            case SUB -> withTopic(alloc, SUBSCRIBED, reply.topic());
            case UNSUB -> withTopic(alloc, UNSUBSCRIBED, reply.topic());
            case GET -> payload == null ? withTopic(alloc, NOVALUE, reply.topic()) : value(alloc, payload);
            case PING, AUTH -> payload;
            case STATS -> text(alloc, reply.text());
            case CLIENTS, MEMBERS -> lines(alloc, reply.text());
            case NAME -> copy(alloc, OK);
            case HELP -> copy(alloc, HELP);
            case QUIT -> copy(alloc, BYE);
            default -> released(payload, reply.command());
        };
    }

    @Override
    public ByteBuf error(final ByteBufAllocator alloc, final ErrorCode code, final Reply cause)
    {
        if (cause != null)
        {
            final ByteBuf payload = cause.takePayload();
            if (payload != null)
            {
                payload.release();
            }
        }
        return errorLine(alloc, code);
    }

    /** No text command has this reply: a programming error, after the payload is let go. */
    private static ByteBuf released(final ByteBuf payload, final Command command)
    {
        if (payload != null)
        {
            payload.release();
        }
        throw new IllegalArgumentException("no text reply to " + command);
    }

    /** {@code ERR <code> <text>\r\n}, also for the transport's own refusals. */
    public static ByteBuf errorLine(final ByteBufAllocator alloc, final ErrorCode code)
    {
        return copy(alloc, code.line());
    }

    @Override
    public int deliveryLength(final ParsedLine pub)
    {
        return UPDATED.length + pub.topicLength() + 1 + pub.argumentLength() + CRLF.length;
    }

    /** {@code UPDATED <topic> <message>\r\n}, built once per publish from the PUB line. */
    @Override
    public void writeDelivery(final ByteBuf out, final ParsedLine pub)
    {
        final ByteBuf line = pub.line();
        out.writeBytes(UPDATED)
            .writeBytes(line, pub.topicIndex(), pub.topicLength())
            .writeByte(' ')
            .writeBytes(line, pub.argumentIndex(), pub.argumentLength())
            .writeBytes(CRLF);
    }

    /** {@code VALUE <topic> <message>\r\n}, from a topic's latest {@code UPDATED} frame, which it releases. */
    private static ByteBuf value(final ByteBufAllocator alloc, final ByteBuf updatedFrame)
    {
        try
        {
            final int start = updatedFrame.readerIndex() + UPDATED.length;
            final int length = updatedFrame.writerIndex() - start;
            return alloc.buffer(VALUE.length + length).writeBytes(VALUE).writeBytes(updatedFrame, start, length);
        }
        finally
        {
            updatedFrame.release();
        }
    }

    /** {@code PONG [token]\r\n}. */
    private static ByteBuf pong(final ByteBufAllocator alloc, final ParsedLine ping)
    {
        final int tokenLength = ping.argumentLength();
        if (tokenLength < 0)
        {
            return alloc.buffer(PONG.length + CRLF.length).writeBytes(PONG).writeBytes(CRLF);
        }
        return alloc.buffer(PONG.length + 1 + tokenLength + CRLF.length)
            .writeBytes(PONG)
            .writeByte(' ')
            .writeBytes(ping.line(), ping.argumentIndex(), tokenLength)
            .writeBytes(CRLF);
    }

    /**
     * One line such as {@code STATS key=value ...}, with CRLF appended. Each char of {@code text}
     * is one byte (ISO-8859-1), so bytes the engine took from a client, a connection's name for
     * one, come back exactly as sent.
     */
    private static ByteBuf text(final ByteBufAllocator alloc, final CharSequence text)
    {
        final ByteBuf frame = alloc.buffer(text.length() + CRLF.length);
        frame.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        return frame.writeBytes(CRLF);
    }

    /** Lines joined by CRLF (none when empty), then the line {@code END}; chars as in {@link #text}. */
    private static ByteBuf lines(final ByteBufAllocator alloc, final CharSequence lines)
    {
        if (lines.length() == 0)
        {
            return copy(alloc, END);
        }
        final ByteBuf frame = alloc.buffer(lines.length() + CRLF.length + END.length);
        frame.writeCharSequence(lines, StandardCharsets.ISO_8859_1);
        return frame.writeBytes(CRLF).writeBytes(END);
    }

    private static ByteBuf withTopic(final ByteBufAllocator alloc, final byte[] prefix, final byte[] topic)
    {
        return alloc.buffer(prefix.length + topic.length + CRLF.length)
            .writeBytes(prefix).writeBytes(topic).writeBytes(CRLF);
    }

    private static ByteBuf copy(final ByteBufAllocator alloc, final byte[] bytes)
    {
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
