package dev.topics.transport;

import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.LineParser;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.Replies;
import dev.topics.transport.codec.ReplyEncoder;
import io.netty.buffer.ByteBuf;

import java.util.logging.Logger;

/**
 * The text protocol's {@link FrontEnd}: one command per line, parsed by the {@link LineParser},
 * behind the connection's {@link AuthGate}.
 *
 * <p>One instance per connection, on its event-loop thread.
 */
final class TextFrontEnd implements FrontEnd
{
    private static final Logger LOG = Logger.getLogger(TextFrontEnd.class.getName());

    private final LineParser parser;
    private final AuthGate auth;
    private final TransportCounters counters;
    private AuthGate.Verdict verdict = AuthGate.Verdict.PASS;

    TextFrontEnd(final LineParser parser, final AuthGate auth, final TransportCounters counters)
    {
        this.parser = parser;
        this.auth = auth;
        this.counters = counters;
    }

    @Override
    public ReplyEncoder encoder()
    {
        return Replies.TEXT;
    }

    @Override
    public WireProtocol protocol()
    {
        return WireProtocol.TEXT;
    }

    @Override
    public boolean command(final ByteBuf buffer, final int start, final int end, final int part, final ParsedLine out)
    {
        if (part > 0 || !parser.parse(buffer, start, end, out))
        {
            return false;
        }
        verdict = auth.check(out);
        return true;
    }

    @Override
    public boolean accepted(final ParsedLine out)
    {
        if (verdict == AuthGate.Verdict.FAILED)
        {
            counters.authFailures.increment();
            LOG.fine("wrong auth token");
        }
        return auth.commit(verdict);
    }

    @Override
    public void closeCommand(final ParsedLine out)
    {
        out.asCommand(Command.QUIT);
    }
}
