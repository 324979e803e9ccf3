package dev.topics.transport.resp;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RespFrameDecoder} fed one stream of requests cut into reads of every size. */
class RespFramingPropertyTest
{
    private static final int MAX_LINE = 64;

    /** Every request, in every cut into reads, frames the same: splits at any byte are invisible. */
    @Property(tries = 300)
    void shouldFrameTheSameHoweverTheBytesAreCutIntoReads(@ForAll @IntRange(min = 1, max = 40) final int cut,
        @ForAll @IntRange(min = 0, max = 5) final int offset)
    {
        final String stream = "*2\r\n$9\r\nsubscribe\r\n$1\r\na\r\nPING \"x\\ny\" 'z'\r\n*0\r\n"
            + "*3\r\n$7\r\npublish\r\n$1\r\na\r\n$6\r\nx\r\n\r\ny\r\n\r\n*1\r\n$4\r\nPING\r\n"
            + "*2\r\n$4\r\nPING\r\n$" + (MAX_LINE + 3) + "\r\n" + "z".repeat(MAX_LINE + 3) + "\r\nQUIT\r\n";
        final RespFrameDecoderTest.Recorder sink = new RespFrameDecoderTest.Recorder();
        final EmbeddedChannel channel = new EmbeddedChannel(new RespFrameDecoder(MAX_LINE, sink));
        int at = 0;
        int size = offset + 1;
        while (at < stream.length())
        {
            final int to = Math.min(stream.length(), at + size);
            channel.writeInbound(Unpooled.copiedBuffer(stream.substring(at, to), StandardCharsets.ISO_8859_1));
            at = to;
            size = cut;
        }
        assertEquals(List.of("*2\r\n$9\r\nsubscribe\r\n$1\r\na\r\n", "PING \"x\\ny\" 'z'",
            "*3\r\n$7\r\npublish\r\n$1\r\na\r\n$6\r\nx\r\n\r\ny\r\n", "*1\r\n$4\r\nPING\r\n", "TOO LONG", "QUIT"),
            sink.events);
        assertTrue(!channel.finishAndReleaseAll(), "nothing left over");
    }

}
