package dev.topics.transport;

import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.ReplyEncoder;
import io.netty.buffer.ByteBuf;

/**
 * One connection's wire protocol on the way in: turns each framed request into one or more neutral
 * commands ({@code SUBSCRIBE a b} is two), keeps the connection's protocol state (authentication,
 * reply mode) and answers the encoder its session starts with.
 *
 * <p>One instance per connection, used only on its event-loop thread. The transport may ask for
 * the same command again when the broker had no room for it, so {@link #command} changes no state;
 * {@link #accepted} commits what the command does, once, after the broker took it.
 */
public interface FrontEnd
{
    /** The encoder of this connection's replies and deliveries when it opens. */
    ReplyEncoder encoder();

    /** The protocol this front end speaks. */
    WireProtocol protocol();

    /**
     * Fills {@code out} with command number {@code part} (from 0) of the request at
     * {@code buffer[start, end)}.
     *
     * @return false when the request has no such command: all of it was offered (or, for part 0,
     * the request is to be ignored, such as a blank line).
     */
    boolean command(ByteBuf buffer, int start, int end, int part, ParsedLine out);

    /**
     * The broker accepted {@code out}, as {@link #command} last filled it: commit its effect on
     * this connection's state.
     *
     * @return true when the connection is to be closed now, after everything already accepted
     * (too many wrong tokens); the transport then offers {@link #closeCommand} and drops the rest.
     */
    boolean accepted(ParsedLine out);

    /** Fills {@code out} with the command that closes the connection in order (text: QUIT, answered BYE). */
    void closeCommand(ParsedLine out);
}
