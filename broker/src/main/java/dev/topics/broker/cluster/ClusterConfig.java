package dev.topics.broker.cluster;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Who the cluster's members are and how this node talks to them: from {@code --cluster-members},
 * {@code --node-id} and the cluster tuning options. Immutable; safe on any thread.
 *
 * @param members      every member, this node included, in the order given.
 * @param nodeId       this node's id, one of the members'.
 * @param timeoutMs    a member not heard from for this long is down; heartbeats go out ten times as often.
 * @param termLength   Aeron term length of each link: the largest message crossing nodes is an eighth of it.
 * @param maxParkMicros longest the link thread parks when idle: the latency a message arriving at
 *                      an idle node may wait, against the CPU an idle node spends polling.
 * @param aeronDir     an external media driver's directory, or null to embed one.
 * @param linkBufferBytes each peer link's bound: bytes queued for a peer that has not read them
 *                        yet; a message that does not fit is dropped, counted and logged.
 */
public record ClusterConfig(
    List<Member> members, int nodeId, long timeoutMs, int termLength, long maxParkMicros, String aeronDir, int linkBufferBytes)
{
    public static final int LINK_BUFFER_BYTES_DEFAULT = 8 * 1024 * 1024;

    public static final long TIMEOUT_MS_DEFAULT = 1_000;
    public static final int TERM_LENGTH_DEFAULT = 1024 * 1024;
    public static final long MAX_PARK_MICROS_DEFAULT = 100;
    /** Node ids fit a bit set in a long; 0 is not an id. */
    public static final int MAX_NODE_ID = 63;

    public ClusterConfig
    {
        members = List.copyOf(members);
        if (members.size() < 2)
        {
            throw new IllegalArgumentException("a cluster needs at least two members in --cluster-members");
        }
        long seen = 0;
        for (final Member member : members)
        {
            if ((seen & 1L << member.id()) != 0)
            {
                throw new IllegalArgumentException("node id " + member.id() + " appears twice in --cluster-members");
            }
            seen |= 1L << member.id();
        }
        if ((seen & 1L << nodeId) == 0)
        {
            throw new IllegalArgumentException("--node-id " + nodeId + " is not one of --cluster-members");
        }
        if (timeoutMs < 50)
        {
            throw new IllegalArgumentException("--cluster-timeout must be at least 50 ms: " + timeoutMs);
        }
        if (termLength < 64 * 1024 || termLength > 1024 * 1024 * 1024 || Integer.bitCount(termLength) != 1)
        {
            throw new IllegalArgumentException("--cluster-term-length must be a power of two from 64k to 1g: " + termLength);
        }
        if (linkBufferBytes < 64 * 1024 || linkBufferBytes > 1024 * 1024 * 1024 || Integer.bitCount(linkBufferBytes) != 1)
        {
            throw new IllegalArgumentException("--cluster-link-buffer must be a power of two from 64k to 1g: " + linkBufferBytes);
        }
        if (maxParkMicros < 1)
        {
            throw new IllegalArgumentException("--cluster-max-park must be at least 1 microsecond");
        }
    }

    /**
     * {@code ID@HOST:PORT,ID@HOST:PORT,...}: ids 1 to 63, each once.
     *
     * @throws IllegalArgumentException in words fit to show a user.
     */
    public static List<Member> parseMembers(final String text)
    {
        final List<Member> members = new ArrayList<>();
        for (final String item : text.split(","))
        {
            final String entry = item.trim();
            final int at = entry.indexOf('@');
            final int colon = entry.lastIndexOf(':');
            if (at <= 0 || colon < at)
            {
                throw new IllegalArgumentException("--cluster-members: ID@HOST:PORT expected, got '" + entry + "'");
            }
            final int id;
            final int port;
            try
            {
                id = Integer.parseInt(entry.substring(0, at));
                port = Integer.parseInt(entry.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("--cluster-members: ID@HOST:PORT expected, got '" + entry + "'", ex);
            }
            if (id < 1 || id > MAX_NODE_ID)
            {
                throw new IllegalArgumentException("--cluster-members: node ids are 1 to " + MAX_NODE_ID + ", got " + id);
            }
            if (port < 1 || port > 65535)
            {
                throw new IllegalArgumentException("--cluster-members: port out of range in '" + entry + "'");
            }
            final String host = entry.substring(at + 1, colon).replace("[", "").replace("]", "");
            members.add(new Member(id, new InetSocketAddress(host, port)));
        }
        return Collections.unmodifiableList(members);
    }

    /** This node's own entry. */
    public Member self()
    {
        return member(nodeId);
    }

    /** The member with {@code id}, or null. */
    public Member member(final int id)
    {
        for (final Member member : members)
        {
            if (member.id() == id)
            {
                return member;
            }
        }
        return null;
    }

    /** Every member's id as a bit set. */
    public long memberMask()
    {
        long mask = 0;
        for (final Member member : members)
        {
            mask |= 1L << member.id();
        }
        return mask;
    }

    /** The largest message a link carries whole: Aeron's limit of an eighth of a term. */
    public int maxMessageLength()
    {
        return Math.min(termLength / 8, 16 * 1024 * 1024);
    }

    /** One member: its node id and its Aeron UDP endpoint. */
    public record Member(int id, InetSocketAddress endpoint)
    {
        /** {@code HOST:PORT} as Aeron's channel URIs take it. */
        public String endpointText()
        {
            final String host = endpoint.getHostString();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + endpoint.getPort();
        }
    }
}
