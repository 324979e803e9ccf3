package dev.topics.broker;

import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.Reply;
import dev.topics.transport.codec.ReplyEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A configurable stand-in for a second protocol's encoder (RESP-like), for engine and writer
 * tests: each capability the engine or a writer asks about is a field, and what it writes is
 * recognisable text.
 *
 * <ul>
 * <li>reply: {@code R<label>:<COMMAND>:<topic or ->:<count>\r\n}, or nothing when {@link #replyNull};</li>
 * <li>error: {@code E<label>:<code word>:<COMMAND or ->\r\n};</li>
 * <li>push (when {@link #canonical} is false): {@code P<label>:<pattern or ->:<canonical frame>}.</li>
 * </ul>
 *
 * <p>Not thread-safe; used on the test thread only.
 */
public final class TestReplyEncoder implements ReplyEncoder
{
    public final String label;
    public boolean perSubscription;
    public boolean acknowledges;
    public boolean restricts;
    /** False: deliveries are re-encoded by {@link #writePush}. */
    public boolean canonical = true;
    /** Every reply is null (the command has no reply in this protocol). */
    public boolean replyNull;
    /** Commands whose reply is a push that silence does not silence. */
    public final Set<Command> pushes = EnumSet.noneOf(Command.class);
    /** What {@link #forVersion} returns for each version; absent: null (no such version). */
    public final Map<Integer, ReplyEncoder> versions = new HashMap<>();
    /** One entry per {@link #writePush} call: the pattern (or "-") and the canonical frame. */
    public final List<String> pushCalls = new ArrayList<>();

    public TestReplyEncoder(final String label)
    {
        this.label = label;
    }

    /** A RESP2-like encoder: per subscription, acknowledges PUB, restricts while subscribed. */
    public static TestReplyEncoder resp(final String label)
    {
        final TestReplyEncoder encoder = new TestReplyEncoder(label);
        encoder.perSubscription = true;
        encoder.acknowledges = true;
        encoder.restricts = true;
        return encoder;
    }

    @Override
    public ByteBuf ingressFrame(final ByteBufAllocator alloc, final ParsedLine line)
    {
        return null;
    }

    @Override
    public int deliveryLength(final ParsedLine pub)
    {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public void writeDelivery(final ByteBuf out, final ParsedLine pub)
    {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public ByteBuf reply(final ByteBufAllocator alloc, final Reply reply)
    {
        final ByteBuf payload = reply.takePayload();
        if (payload != null)
        {
            payload.release();
        }
        if (replyNull)
        {
            return null;
        }
        final String topic = reply.topic() == null ? "-" : new String(reply.topic(), StandardCharsets.UTF_8);
        return ascii(alloc, "R" + label + ":" + reply.command() + ":" + topic + ":" + reply.count() + "\r\n");
    }

    @Override
    public ByteBuf error(final ByteBufAllocator alloc, final ErrorCode code, final Reply cause)
    {
        final ByteBuf payload = cause == null ? null : cause.takePayload();
        if (payload != null)
        {
            payload.release();
        }
        final String command = cause == null || cause.command() == null ? "-" : cause.command().name();
        return ascii(alloc, "E" + label + ":" + code.word() + ":" + command + "\r\n");
    }

    @Override
    public boolean isPush(final Command command)
    {
        return pushes.contains(command);
    }

    @Override
    public boolean acknowledgesPublish()
    {
        return acknowledges;
    }

    @Override
    public boolean restrictsWhileSubscribed()
    {
        return restricts;
    }

    @Override
    public boolean deliversPerSubscription()
    {
        return perSubscription;
    }

    @Override
    public ReplyEncoder forVersion(final int version)
    {
        return versions.get(version);
    }

    @Override
    public boolean sendsCanonicalFrame()
    {
        return canonical;
    }

    @Override
    public int pushLength(final int length, final int topicLength, final byte[] pattern)
    {
        return prefix(pattern).length + length;
    }

    @Override
    public void writePush(
        final ByteBuf out, final ByteBuf frame, final int offset, final int length, final int topicLength,
        final byte[] pattern)
    {
        final byte[] prefix = prefix(pattern);
        pushCalls.add((pattern == null ? "-" : new String(pattern, StandardCharsets.UTF_8)) + ":"
            + frame.toString(offset, length, StandardCharsets.UTF_8));
        out.writeBytes(prefix).writeBytes(frame, offset, length);
    }

    private byte[] prefix(final byte[] pattern)
    {
        final String name = pattern == null ? "-" : new String(pattern, StandardCharsets.UTF_8);
        return ("P" + label + ":" + name + ":").getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuf ascii(final ByteBufAllocator alloc, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    @Override
    public String toString()
    {
        return "TestReplyEncoder[" + label + "]";
    }
}
