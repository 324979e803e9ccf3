package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link LineParser} reads {@code AUTH <token>}; runs on the test thread only. */
class LineParserAuthTest
{
    private final LineParser parser = new LineParser(256);
    private final ParsedLine parsed = new ParsedLine();
    private ByteBuf line;

    @AfterEach
    void release()
    {
        line.release();
    }

    @Test
    void shouldReadTheTokenAfterTheVerb()
    {
        parse("AUTH s3cret");
        assertEquals(Command.AUTH, parsed.command());
        assertNull(parsed.error());
        assertEquals("s3cret", token());
    }

    @Test
    void shouldAcceptTheVerbInAnyCase()
    {
        parse("aUtH s3cret");
        assertEquals(Command.AUTH, parsed.command());
        assertEquals("s3cret", token());
    }

    @Test
    void shouldSkipSpacesAroundTheToken()
    {
        parse("AUTH    s3cret   ");
        assertEquals("s3cret", token());
    }

    @Test
    void shouldKeepInnerSpacesSoAManyWordTokenNeverMatchesAOneWordOne()
    {
        parse("AUTH s3cret extra");
        assertEquals("s3cret extra", token());
    }

    @Test
    void shouldLeaveTheTokenAbsentWhenThereIsNone()
    {
        parse("AUTH");
        assertEquals(Command.AUTH, parsed.command());
        assertEquals(-1, parsed.argumentLength());
    }

    @Test
    void shouldLeaveTheTokenAbsentWhenThereAreOnlySpaces()
    {
        parse("AUTH    ");
        assertEquals(-1, parsed.argumentLength());
    }

    @Test
    void shouldKeepNonAsciiTokenBytesUntouched()
    {
        parse("AUTH clé\t!");
        assertEquals("clé\t!", token());
    }

    @Test
    void shouldNotTakeALongerVerbForAuth()
    {
        parse("AUTHX s3cret");
        assertEquals(Command.INVALID, parsed.command());
        assertEquals(ErrorCode.UNKNOWN_COMMAND, parsed.error());
    }

    @Test
    void shouldTurnIntoABareCommandForTheTransport()
    {
        parse("AUTH s3cret");
        parsed.asCommand(Command.QUIT);
        assertEquals(Command.QUIT, parsed.command());
        assertNull(parsed.line());
        assertEquals(-1, parsed.argumentLength());
    }

    private void parse(final String text)
    {
        line = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        assertTrue(parser.parse(line, parsed));
    }

    private String token()
    {
        return parsed.line().toString(parsed.argumentIndex(), parsed.argumentLength(), StandardCharsets.UTF_8);
    }
}
