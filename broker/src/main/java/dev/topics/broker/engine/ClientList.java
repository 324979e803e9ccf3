package dev.topics.broker.engine;

import dev.topics.transport.CloseReason;
import dev.topics.transport.ConnectionStats;
import dev.topics.transport.Session;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * The text of a CLIENTS reply: one {@code CLIENT key=value ...} line per connection, oldest first,
 * from the engine's own record of each session ({@link SessionState}) and the figures its event
 * loop publishes ({@link ConnectionStats}). docs/protocol.md lists the keys.
 *
 * <p>Engine thread only. It allocates, which is fine for a command an operator types now and then,
 * and it is O(connections) on the engine thread: every other command waits while it runs.
 */
final class ClientList
{
    private static final String CRLF = "\r\n";
    /** A guess that keeps the builder from growing a few times over for a typical line. */
    private static final int LINE_CHARS = 224;

    private ClientList()
    {
    }

    /**
     * The lines joined by CRLF, without a last one. Chars are bytes (ISO-8859-1), so a name with
     * UTF-8 or any other bytes is sent back as it was given.
     */
    static String describe(final Collection<SessionState> sessions, final long nowNs)
    {
        final SessionState[] ordered = sessions.toArray(new SessionState[0]);
        Arrays.sort(ordered, Comparator.comparingLong(state -> state.session.id()));
        final StringBuilder text = new StringBuilder(ordered.length * LINE_CHARS);
        for (final SessionState state : ordered)
        {
            if (text.length() > 0)
            {
                text.append(CRLF);
            }
            appendLine(text, state, nowNs);
        }
        return text.toString();
    }

    private static void appendLine(final StringBuilder text, final SessionState state, final long nowNs)
    {
        final Session session = state.session;
        final ConnectionStats stats = session.stats();
        final CloseReason closing = stats.closeReason();
        text.append("CLIENT id=").append(session.id())
            .append(" addr=").append(address(session.remoteAddress()))
            .append(" name=");
        appendBytes(text, state.name);
        text.append(" age_s=").append(seconds(nowNs - state.connectedNs))
            .append(" idle_s=").append(seconds(nowNs - stats.lastInputNs()))
            .append(" subscriptions=").append(state.topicCount())
            .append(" patterns=").append(state.patternCount())
            .append(" pending_bytes=").append(stats.pendingBytes())
            .append(" msgs_in=").append(stats.messagesIn())
            .append(" bytes_in=").append(stats.bytesIn())
            .append(" msgs_out=").append(stats.messagesOut())
            .append(" bytes_out=").append(stats.bytesOut())
            .append(" closing=").append(closing == null ? "" : closing.word());
    }

    /** {@code ip:port}, an IPv6 address in brackets as Redis writes it. */
    private static String address(final SocketAddress address)
    {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null)
        {
            final String host = inet.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    /** Each byte as one char; nothing for a null name. */
    private static void appendBytes(final StringBuilder text, final byte[] bytes)
    {
        if (bytes != null)
        {
            for (final byte b : bytes)
            {
                text.append((char)(b & 0xFF));
            }
        }
    }

    /** Whole seconds, never negative (the event loop's clock reading may be newer than ours). */
    private static long seconds(final long ns)
    {
        return TimeUnit.NANOSECONDS.toSeconds(Math.max(0, ns));
    }
}
