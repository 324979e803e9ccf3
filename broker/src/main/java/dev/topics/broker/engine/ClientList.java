package dev.topics.broker.engine;

import dev.topics.broker.report.ClientRecord;
import dev.topics.broker.report.FieldSink;
import dev.topics.broker.report.KeyValueText;
import dev.topics.transport.CloseReason;
import dev.topics.transport.ConnectionStats;
import dev.topics.transport.Session;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every connection as CLIENTS shows it, oldest first, from the engine's own record of each session
 * ({@link SessionState}) and the figures its event loop publishes ({@link ConnectionStats}): as
 * {@link ClientRecord}s (also for {@code /clients}) and as the text of a CLIENTS reply, one
 * {@code CLIENT key=value ...} line each. docs/protocol.md lists the keys.
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

    /** Every connection, oldest first, as it is now. */
    static List<ClientRecord> records(final Collection<SessionState> sessions, final long nowNs)
    {
        final SessionState[] ordered = sessions.toArray(new SessionState[0]);
        Arrays.sort(ordered, Comparator.comparingLong(state -> state.session.id()));
        final List<ClientRecord> records = new ArrayList<>(ordered.length);
        for (final SessionState state : ordered)
        {
            records.add(record(state, nowNs));
        }
        return records;
    }

    /**
     * The lines joined by CRLF, without a last one. Chars are bytes (ISO-8859-1), so a name with
     * UTF-8 or any other bytes is sent back as it was given.
     */
    static String describe(final Collection<SessionState> sessions, final long nowNs)
    {
        final List<ClientRecord> records = records(sessions, nowNs);
        final StringBuilder text = new StringBuilder(records.size() * LINE_CHARS);
        final FieldSink line = new KeyValueText(text);
        for (final ClientRecord record : records)
        {
            if (text.length() > 0)
            {
                text.append(CRLF);
            }
            text.append("CLIENT");
            record.writeTo(line);
        }
        return text.toString();
    }

    private static ClientRecord record(final SessionState state, final long nowNs)
    {
        final Session session = state.session;
        final ConnectionStats stats = session.stats();
        final CloseReason closing = stats.closeReason();
        return new ClientRecord(
            session.id(),
            address(session.remoteAddress()),
            bytesAsChars(state.name),
            seconds(nowNs - state.connectedNs),
            seconds(nowNs - stats.lastInputNs()),
            state.topicCount(),
            state.patternCount(),
            stats.pendingBytes(),
            stats.messagesIn(),
            stats.bytesIn(),
            stats.messagesOut(),
            stats.bytesOut(),
            closing == null ? "" : closing.word());
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

    /** Each byte as one char; empty for a null name. */
    private static String bytesAsChars(final byte[] bytes)
    {
        if (bytes == null)
        {
            return "";
        }
        final StringBuilder text = new StringBuilder(bytes.length);
        for (final byte b : bytes)
        {
            text.append((char)(b & 0xFF));
        }
        return text.toString();
    }

    /** Whole seconds, never negative (the event loop's clock reading may be newer than ours). */
    private static long seconds(final long ns)
    {
        return TimeUnit.NANOSECONDS.toSeconds(Math.max(0, ns));
    }
}
