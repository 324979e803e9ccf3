package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text protocol's replies to NAME, CLIENTS and HELP, as bytes. */
class RepliesTest
{
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

    private static byte[] reply(final Command command, final String text)
    {
        final ByteBuf frame = Replies.TEXT.reply(ALLOC, TestReply.of(command).withText(text));
        try
        {
            assertEquals(frame.capacity(), frame.readableBytes(), "exactly the size needed, allocated once");
            return ByteBufUtil.getBytes(frame);
        }
        finally
        {
            frame.release();
        }
    }

    private static String ascii(final Command command, final String text)
    {
        return new String(reply(command, text), StandardCharsets.US_ASCII);
    }

    @Test
    void shouldAnswerNameWithOk()
    {
        assertEquals("OK\r\n", ascii(Command.NAME, null));
    }

    @Test
    void shouldEndTheClientLinesWithCrlfAndAnEndLine()
    {
        assertEquals("CLIENT id=1\r\nCLIENT id=2\r\nEND\r\n", ascii(Command.CLIENTS, "CLIENT id=1\r\nCLIENT id=2"));
        assertEquals("END\r\n", ascii(Command.CLIENTS, ""), "no connection, no line: END alone");
    }

    @Test
    void shouldSendEachCharOfTheTextAsTheByteItStandsFor()
    {
        final byte[] name = "fëed-🙂".getBytes(StandardCharsets.UTF_8);
        final String asChars = new String(name, StandardCharsets.ISO_8859_1);
        final byte[] sent = reply(Command.CLIENTS, "CLIENT name=" + asChars);
        assertEquals("CLIENT name=fëed-🙂\r\nEND\r\n", new String(sent, StandardCharsets.UTF_8));
        final byte[] invalidUtf8 = {'n', '=', (byte)0xC3, (byte)0x28};
        assertArrayEquals(new byte[]{'n', '=', (byte)0xC3, (byte)0x28, '\r', '\n'},
            reply(Command.STATS, new String(invalidUtf8, StandardCharsets.ISO_8859_1)));
    }

    @Test
    void shouldListNameAndClientsInHelpOnLinesStartingHelp()
    {
        final String help = ascii(Command.HELP, null);
        assertTrue(help.endsWith("\r\nEND\r\n"), help);
        final String[] lines = help.substring(0, help.length() - "\r\nEND\r\n".length()).split("\r\n");
        for (final String line : lines)
        {
            assertTrue(line.startsWith("HELP "), line);
        }
        assertTrue(help.contains("HELP NAME <name> "), help);
        assertTrue(help.contains("HELP CLIENTS "), help);
    }
}
