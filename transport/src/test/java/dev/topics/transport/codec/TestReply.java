package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;

/**
 * A {@link Reply} built field by field, for encoder tests: what the outbound ring's slot carries.
 *
 * <p>Mutable; one test thread.
 */
public final class TestReply implements Reply
{
    private final Command command;
    private byte[] topic;
    private TopicMatch match = TopicMatch.EXACT;
    private ByteBuf payload;
    private String text;
    private long count;
    private int detail;
    private byte[][] names;
    private long[] numbers;
    private long sessionId = 1;

    private TestReply(final Command command)
    {
        this.command = command;
    }

    public static TestReply of(final Command command)
    {
        return new TestReply(command);
    }

    public TestReply withTopic(final byte[] value)
    {
        topic = value;
        return this;
    }

    public TestReply withMatch(final TopicMatch value)
    {
        match = value;
        return this;
    }

    public TestReply withPayload(final ByteBuf value)
    {
        payload = value;
        return this;
    }

    public TestReply withText(final String value)
    {
        text = value;
        return this;
    }

    public TestReply withCount(final long value)
    {
        count = value;
        return this;
    }

    public TestReply withDetail(final int value)
    {
        detail = value;
        return this;
    }

    public TestReply withNames(final byte[][] value)
    {
        names = value;
        return this;
    }

    public TestReply withNumbers(final long[] value)
    {
        numbers = value;
        return this;
    }

    public TestReply withSessionId(final long value)
    {
        sessionId = value;
        return this;
    }

    @Override
    public Command command()
    {
        return command;
    }

    @Override
    public byte[] topic()
    {
        return topic;
    }

    @Override
    public TopicMatch match()
    {
        return match;
    }

    @Override
    public ByteBuf takePayload()
    {
        final ByteBuf taken = payload;
        payload = null;
        return taken;
    }

    @Override
    public String text()
    {
        return text;
    }

    @Override
    public long count()
    {
        return count;
    }

    @Override
    public int detail()
    {
        return detail;
    }

    @Override
    public byte[][] names()
    {
        return names;
    }

    @Override
    public long[] numbers()
    {
        return numbers;
    }

    @Override
    public long sessionId()
    {
        return sessionId;
    }
}
