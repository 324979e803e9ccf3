package dev.topics.benchmarks;

import dev.topics.broker.ingress.InboundEvent;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.LineParser;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.Replies;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * The inbound slot an engine benchmark publishes through: the delivery frame of one {@code PUB}
 * line, encoded once, and one more reference to it per {@code PUB}, as an event loop writes each
 * frame into its arena's chunk and hands the engine a reference to the chunk. The references are
 * taken from a bulk credit, so a publish adds no atomic operation of the benchmark's own; the
 * engine's retain per delivery and release after keeping the latest value are then reference-count
 * changes, never a free to the pool.
 *
 * <p>The slot's topic starts as the line's; a benchmark may overwrite it. Used by one JMH thread.
 */
final class PubSlot
{
    /** References handed over in bulk. */
    private static final int REFERENCE_CREDIT = 1 << 20;

    final InboundEvent event;
    /** The delivery frame; each delivery the engine publishes holds one reference to it. */
    final ByteBuf frame;
    private final Session publisher;
    private int credit;

    PubSlot(final int maxTopicBytes, final String pubLine, final Session publisher)
    {
        final ParsedLine parsed = new ParsedLine();
        final ByteBuf line = Unpooled.copiedBuffer(pubLine, StandardCharsets.US_ASCII);
        new LineParser(maxTopicBytes).parse(line, parsed);
        frame = UnpooledByteBufAllocator.DEFAULT.directBuffer(Replies.TEXT.deliveryLength(parsed));
        Replies.TEXT.writeDelivery(frame, parsed); // reads the message from the line
        event = new InboundEvent(maxTopicBytes);
        event.topicLength = parsed.topicLength();
        parsed.copyTopic(event.topic);
        line.release();
        this.publisher = publisher;
    }

    /** Fills the slot for one {@code PUB} of the frame, as {@code InboundProxy} fills it. */
    InboundEvent fill()
    {
        if (credit == 0)
        {
            frame.retain(REFERENCE_CREDIT);
            credit = REFERENCE_CREDIT;
        }
        credit--;
        event.command = Command.PUB;
        event.session = publisher;
        event.payload = frame;
        event.payloadOffset = 0;
        event.payloadLength = frame.readableBytes();
        return event;
    }

    /** Gives back the unused credit and the frame's own reference, once every delivery was drained. */
    void close()
    {
        frame.release(credit + 1);
        if (frame.refCnt() != 0)
        {
            throw new IllegalStateException("frame reference count leaked: " + frame.refCnt());
        }
    }
}
