package dev.topics.transport.resp;

import dev.topics.transport.AuthGate;
import dev.topics.transport.FrontEnd;
import dev.topics.transport.TransportCounters;
import dev.topics.transport.WireProtocol;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.ReplyEncoder;
import io.netty.buffer.ByteBuf;

/**
 * STUB (to be written): RESP requests to neutral commands.
 *
 * <p>One instance per connection, on its event-loop thread.
 */
public final class RespFrontEnd implements FrontEnd
{
    private final int maxTopicBytes;
    private final AuthGate auth;
    private final TransportCounters counters;

    public RespFrontEnd(final int maxTopicBytes, final AuthGate auth, final TransportCounters counters)
    {
        this.maxTopicBytes = maxTopicBytes;
        this.auth = auth;
        this.counters = counters;
    }

    @Override
    public ReplyEncoder encoder()
    {
        return RespEncoder.RESP2;
    }

    @Override
    public WireProtocol protocol()
    {
        return WireProtocol.RESP;
    }

    @Override
    public boolean command(final ByteBuf buffer, final int start, final int end, final int part, final ParsedLine out)
    {
        return false;
    }

    @Override
    public boolean accepted(final ParsedLine out)
    {
        return false;
    }

    @Override
    public void closeCommand(final ParsedLine out)
    {
        out.asCommand(Command.QUIT).silent(true);
    }
}
