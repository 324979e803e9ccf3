package dev.topics.transport;

import io.netty.channel.epoll.Epoll;

import java.util.Locale;

/**
 * Which Netty transport serves the sockets, by the name given on the command line.
 *
 * <p>Immutable; safe on any thread.
 */
public enum Transport
{
    /** epoll where the native library loads, else NIO. */
    AUTO,
    /** Linux epoll; fails the launch with the reason when it is not available. */
    EPOLL,
    /** The JDK's NIO selector: works everywhere. */
    NIO;

    /** Whether this choice means epoll on this machine; {@link #EPOLL} fails when it cannot load. */
    boolean useEpoll()
    {
        return switch (this)
        {
            case AUTO -> Epoll.isAvailable();
            case EPOLL ->
            {
                Epoll.ensureAvailability();
                yield true;
            }
            case NIO -> false;
        };
    }

    /** The lower-case name users type and {@code --help} shows. */
    @Override
    public String toString()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
