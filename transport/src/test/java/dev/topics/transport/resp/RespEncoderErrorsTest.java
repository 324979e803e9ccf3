package dev.topics.transport.resp;

import dev.topics.testing.NettyLeakGuard;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.TestReply;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static dev.topics.transport.resp.RespBytes.ALLOC;
import static dev.topics.transport.resp.RespBytes.buffer;
import static dev.topics.transport.resp.RespBytes.repeat;
import static dev.topics.transport.resp.RespBytes.text;
import static dev.topics.transport.resp.RespEncoder.RESP2;
import static dev.topics.transport.resp.RespEncoder.RESP3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * RespEncoder's errors and the ingress frames they are rendered into, byte for byte as Redis
 * 7.0.15 words them (same in RESP2 and RESP3). Captured from {@code redis-server --port 16398
 * --save '' --appendonly no} with a Python socket client printing {@code repr()} of each reply
 * (src/test/resources/resp/capture-replies.py); the requests are in each test's comments.
 */
@ExtendWith(NettyLeakGuard.class)
class RespEncoderErrorsTest
{
    private final List<ByteBuf> lines = new ArrayList<>();

    @AfterEach
    void releaseLines()
    {
        lines.forEach(ByteBuf::release);
    }

    /** A ParsedLine over {@code parts} laid end to end, each part one name (part 0: the command). */
    private ParsedLine request(final String... parts)
    {
        final ByteBuf line = buffer("xx" + String.join("", parts)); // not at index 0, as in a real read buffer
        lines.add(line);
        final ParsedLine parsed = new ParsedLine().start(Command.INVALID, line, 2, line.readableBytes() - 2);
        int index = 2;
        for (final String part : parts)
        {
            parsed.addName(index, part.length());
            index += part.length();
        }
        return parsed.withError(ErrorCode.UNKNOWN_COMMAND);
    }

    /** What the engine writes for a command refused after its ingress frame was made. */
    private static String refused(final RespEncoder encoder, final ParsedLine line)
    {
        final ByteBuf frame = encoder.ingressFrame(ALLOC, line);
        final TestReply cause = TestReply.of(Command.INVALID).withDetail(line.detail()).withPayload(frame);
        return text(encoder.error(ALLOC, line.error(), cause));
    }

    private static String error(final RespEncoder encoder, final ErrorCode code, final TestReply cause)
    {
        return text(encoder.error(ALLOC, code, cause));
    }

    private static TestReply command(final Command command, final RespCommand detail)
    {
        return TestReply.of(command).withDetail(detail.ordinal());
    }

    @Test
    void shouldWordAnUnknownCommandWithItsArgumentsAsRedis()
    {
        // foo a b / foo
        assertEquals("-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n", refused(RESP2, request("foo", "a", "b")));
        assertEquals("-ERR unknown command 'foo', with args beginning with: \r\n", refused(RESP3, request("foo")));
    }

    @Test
    void shouldCutTheNameAndArgumentsAt128BytesAsRedis()
    {
        // 'f' * 200, a
        assertEquals("-ERR unknown command '" + repeat('f', 128) + "', with args beginning with: 'a' \r\n",
            refused(RESP2, request(repeat('f', 200), "a")));
        // foo, 'a' * 130, b
        assertEquals("-ERR unknown command 'foo', with args beginning with: '" + repeat('a', 128) + "' \r\n",
            refused(RESP2, request("foo", repeat('a', 130), "b")));
        // foo, 'a' * 100, 'b' * 100, c
        assertEquals("-ERR unknown command 'foo', with args beginning with: '" + repeat('a', 100) + "' '"
            + repeat('b', 25) + "' \r\n", refused(RESP2, request("foo", repeat('a', 100), repeat('b', 100), "c")));
        // foo, '', then 'x' 60 times
        final String[] many = new String[62];
        many[0] = "foo";
        many[1] = "";
        java.util.Arrays.fill(many, 2, 62, "x");
        assertEquals("-ERR unknown command 'foo', with args beginning with: '' " + "'x' ".repeat(32) + "\r\n",
            refused(RESP2, request(many)));
    }

    @Test
    void shouldTurnLineBreaksIntoSpacesAndStopAtNulAsRedis()
    {
        // foo, x\r\ny, n\0ul / fo\0o, a
        assertEquals("-ERR unknown command 'foo', with args beginning with: 'x  y' 'n' \r\n",
            refused(RESP2, request("foo", "x\r\ny", "n\u0000ul")));
        assertEquals("-ERR unknown command 'fo', with args beginning with: 'a' \r\n", refused(RESP2, request("fo\u0000o", "a")));
    }

    private ParsedLine subcommand(final RespCommand container, final String sub)
    {
        final ByteBuf line = buffer("cmd " + sub);
        lines.add(line);
        return new ParsedLine().start(Command.INVALID, line, 0, line.readableBytes())
            .withArgument(4, sub.length()).detail(container.ordinal()).withError(ErrorCode.UNKNOWN_COMMAND);
    }

    @Test
    void shouldWordAnUnknownSubcommandAsRedis()
    {
        // CLIENT FOO / PUBSUB FOO / COMMAND FOO / FUNCTION FOO / CLIENT x\r\ny / CLIENT 's' * 200 / PUBSUB é
        assertEquals("-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n", refused(RESP2, subcommand(RespCommand.CLIENT_ID, "FOO")));
        assertEquals("-ERR unknown subcommand 'FOO'. Try PUBSUB HELP.\r\n", refused(RESP3, subcommand(RespCommand.PUBSUB_CHANNELS, "FOO")));
        assertEquals("-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n", refused(RESP2, subcommand(RespCommand.COMMAND, "FOO")));
        assertEquals("-ERR unknown subcommand 'FOO'. Try FUNCTION HELP.\r\n", refused(RESP2, subcommand(RespCommand.FUNCTION_FLUSH, "FOO")));
        assertEquals("-ERR unknown subcommand 'x  y'. Try CLIENT HELP.\r\n", refused(RESP2, subcommand(RespCommand.CLIENT_ID, "x\r\ny")));
        assertEquals("-ERR unknown subcommand '" + repeat('s', 128) + "'. Try CLIENT HELP.\r\n",
            refused(RESP2, subcommand(RespCommand.CLIENT_ID, repeat('s', 200))));
        assertEquals("-ERR unknown subcommand '\u00c3\u00a9'. Try PUBSUB HELP.\r\n",
            refused(RESP2, subcommand(RespCommand.PUBSUB_CHANNELS, "\u00c3\u00a9")));
    }

    @Test
    void shouldQuoteAnUnknownHelloOptionAsRedis()
    {
        // HELLO 3 foo
        final ByteBuf line = buffer("HELLO 3 foo");
        lines.add(line);
        final ParsedLine hello = new ParsedLine().start(Command.INVALID, line, 0, 11).withArgument(8, 3)
            .detail(RespArgumentError.HELLO_OPTION.detail(RespCommand.HELLO)).withError(ErrorCode.BAD_ARGUMENTS);
        assertEquals("-ERR Syntax error in HELLO option 'foo'\r\n", refused(RESP3, hello));
    }

    @Test
    void shouldMakeIngressFramesOnlyForPingEchoAndQuotingErrors()
    {
        final ByteBuf line = buffer("PING hello");
        lines.add(line);
        final ParsedLine ping = new ParsedLine().start(Command.PING, line, 0, 10).withArgument(5, 5);
        assertEquals("hello", text(RESP2.ingressFrame(ALLOC, ping)));
        ping.start(Command.PING, line, 0, 4);
        assertNull(RESP2.ingressFrame(ALLOC, ping));
        ping.start(Command.RAW, line, 0, 10).withArgument(5, 5).detail(RespCommand.ECHO.ordinal());
        assertEquals("hello", text(RESP3.ingressFrame(ALLOC, ping)));
        ping.start(Command.RAW, line, 0, 10).withArgument(5, 5).detail(RespCommand.CLIENT_SETINFO.ordinal());
        assertNull(RESP3.ingressFrame(ALLOC, ping));
        ping.start(Command.AUTH, line, 0, 10).withArgument(5, 5).detail(RespCommand.AUTH.ordinal());
        assertNull(RESP3.ingressFrame(ALLOC, ping));
        ping.start(Command.SUB, line, 0, 10).withTopic(5, 5);
        assertNull(RESP3.ingressFrame(ALLOC, ping));
        ping.start(Command.INVALID, line, 0, 10).detail(RespCommand.GET.ordinal()).withError(ErrorCode.BAD_ARGUMENTS);
        assertNull(RESP3.ingressFrame(ALLOC, ping));
        assertNull(RESP3.ingressFrame(ALLOC, new ParsedLine().asError(ErrorCode.PROTOCOL_ERROR)));
    }

    @Test
    void shouldWordWrongArgumentsByTheCommandsFullName()
    {
        // ECHO / CLIENT ID x / PUBSUB NUMPAT x / SUBSCRIBE / PING a b
        assertEquals("-ERR wrong number of arguments for 'echo' command\r\n",
            error(RESP2, ErrorCode.BAD_ARGUMENTS, command(Command.INVALID, RespCommand.ECHO)));
        assertEquals("-ERR wrong number of arguments for 'client|id' command\r\n",
            error(RESP3, ErrorCode.BAD_ARGUMENTS, command(Command.INVALID, RespCommand.CLIENT_ID)));
        assertEquals("-ERR wrong number of arguments for 'pubsub|numpat' command\r\n",
            error(RESP2, ErrorCode.BAD_ARGUMENTS, command(Command.INVALID, RespCommand.PUBSUB_NUMPAT)));
        assertEquals("-ERR wrong number of arguments for 'subscribe' command\r\n",
            error(RESP2, ErrorCode.BAD_ARGUMENTS, command(Command.INVALID, RespCommand.SUBSCRIBE)));
        assertEquals("-ERR wrong number of arguments for 'ping' command\r\n",
            error(RESP2, ErrorCode.BAD_ARGUMENTS, command(Command.INVALID, RespCommand.PING)));
    }

    private static TestReply worded(final RespArgumentError wording, final RespCommand command)
    {
        return TestReply.of(Command.INVALID).withDetail(wording.detail(command));
    }

    @Test
    void shouldWordOtherArgumentErrorsAsTheDetailSays()
    {
        // SELECT 16 / SELECT abc / CLIENT REPLY foo / HELLO 1 / HELLO x / FUNCTION FLUSH foo
        assertEquals("-ERR DB index is out of range\r\n",
            error(RESP2, ErrorCode.BAD_ARGUMENTS, worded(RespArgumentError.DB_INDEX_OUT_OF_RANGE, RespCommand.SELECT)));
        assertEquals("-ERR value is not an integer or out of range\r\n",
            error(RESP2, ErrorCode.BAD_ARGUMENTS, worded(RespArgumentError.NOT_AN_INTEGER, RespCommand.SELECT)));
        assertEquals("-ERR syntax error\r\n",
            error(RESP2, ErrorCode.BAD_ARGUMENTS, worded(RespArgumentError.SYNTAX, RespCommand.CLIENT_REPLY)));
        assertEquals("-NOPROTO unsupported protocol version\r\n",
            error(RESP2, ErrorCode.BAD_ARGUMENTS, worded(RespArgumentError.NO_PROTOCOL, RespCommand.HELLO)));
        assertEquals("-ERR Protocol version is not an integer or out of range\r\n",
            error(RESP2, ErrorCode.BAD_ARGUMENTS, worded(RespArgumentError.PROTOCOL_VERSION_NOT_INTEGER, RespCommand.HELLO)));
        assertEquals("-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n",
            error(RESP2, ErrorCode.BAD_ARGUMENTS, worded(RespArgumentError.FUNCTION_FLUSH_MODE, RespCommand.FUNCTION_FLUSH)));
    }

    @Test
    void shouldAnswerAHelloTheEngineRefusedWithNoproto()
    {
        // HELLO 4: the engine refuses a version the encoder has none for; its detail is the version
        assertEquals("-NOPROTO unsupported protocol version\r\n",
            error(RESP2, ErrorCode.BAD_ARGUMENTS, TestReply.of(Command.HELLO).withDetail(4)));
    }

    @Test
    void shouldNameTheRefusedCommandOfASubscribedRedis2Connection()
    {
        // SUBSCRIBE a, then GET a / CLIENT ID / ECHO x / PUBSUB CHANNELS
        final String rest = "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n";
        assertEquals("-ERR Can't execute 'get" + rest, error(RESP2, ErrorCode.SUBSCRIBED_MODE, command(Command.GET, RespCommand.GET)));
        assertEquals("-ERR Can't execute 'client|id" + rest,
            error(RESP2, ErrorCode.SUBSCRIBED_MODE, command(Command.RAW, RespCommand.CLIENT_ID)));
        final TestReply echo = command(Command.RAW, RespCommand.ECHO).withPayload(buffer("x"));
        assertEquals("-ERR Can't execute 'echo" + rest, error(RESP2, ErrorCode.SUBSCRIBED_MODE, echo));
        assertEquals("-ERR Can't execute 'pubsub|channels" + rest,
            error(RESP2, ErrorCode.SUBSCRIBED_MODE, command(Command.CHANNELS, RespCommand.PUBSUB_CHANNELS)));
        assertEquals("-ERR Can't execute 'hello" + rest, error(RESP2, ErrorCode.SUBSCRIBED_MODE, TestReply.of(Command.HELLO).withDetail(3)));
    }

    @Test
    void shouldWordAuthenticationErrorsAsRedis()
    {
        // requirepass set: PING / AUTH bad / HELLO 3; no requirepass: AUTH x
        assertEquals("-NOAUTH Authentication required.\r\n",
            error(RESP2, ErrorCode.AUTH_REQUIRED, command(Command.PING, RespCommand.PING).withPayload(buffer("hi"))));
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
            error(RESP3, ErrorCode.AUTH_FAILED, command(Command.AUTH, RespCommand.AUTH)));
        assertEquals("-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH "
            + "<user> <pass> option can be used to authenticate the client and select the RESP protocol version at the "
            + "same time\r\n", error(RESP2, ErrorCode.AUTH_REQUIRED, TestReply.of(Command.HELLO).withDetail(3)));
        assertEquals("-ERR AUTH <password> called without any password configured for the default user. Are you sure "
            + "your configuration is correct?\r\n", error(RESP2, ErrorCode.AUTH_NOT_ENABLED, command(Command.AUTH, RespCommand.AUTH)));
    }

    @Test
    void shouldWordProtocolErrorsFromTheirDetail()
    {
        assertEquals("-ERR Protocol error: invalid multibulk length\r\n", error(RESP2, ErrorCode.PROTOCOL_ERROR,
            TestReply.of(Command.INVALID).withDetail(RespProtocolError.INVALID_MULTIBULK_LENGTH.detail((byte)0))));
        assertEquals("-ERR Protocol error: expected '$', got 'x'\r\n", error(RESP3, ErrorCode.PROTOCOL_ERROR,
            TestReply.of(Command.INVALID).withDetail(RespProtocolError.EXPECTED_DOLLAR.detail((byte)'x'))));
        assertEquals("-ERR Protocol error: unbalanced quotes in request\r\n", error(RESP2, ErrorCode.PROTOCOL_ERROR,
            TestReply.of(Command.INVALID).withDetail(RespProtocolError.UNBALANCED_QUOTES.detail((byte)0))));
    }

    @Test
    void shouldWordTheTransportsRefusalsAsRedisWhereItHasThem()
    {
        assertEquals("-OOM command not allowed when used memory > 'maxmemory'.\r\n", error(RESP2, ErrorCode.OUT_OF_MEMORY, null));
        assertEquals("-ERR max number of clients reached\r\n", error(RESP3, ErrorCode.SERVER_BUSY, null));
        assertEquals("-ERR unknown command\r\n", error(RESP2, ErrorCode.UNKNOWN_COMMAND, TestReply.of(Command.INVALID)));
        // CLIENT SETNAME "a b"
        assertEquals("-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
            error(RESP2, ErrorCode.BAD_NAME, command(Command.NAME, RespCommand.CLIENT_SETNAME)));
    }

    @Test
    void shouldWordTheCodesRedisLacksWithTheirWordAndText()
    {
        for (final ErrorCode code : new ErrorCode[]{ErrorCode.LINE_TOO_LONG, ErrorCode.TOO_MANY_SUBSCRIPTIONS,
            ErrorCode.TOO_MANY_TOPICS, ErrorCode.BAD_TOPIC, ErrorCode.SLOW_CONSUMER, ErrorCode.SHUTTING_DOWN, ErrorCode.INTERNAL})
        {
            final String expected = "-ERR " + code.word() + " " + code.text() + "\r\n";
            assertEquals(expected, error(RESP2, code, null), code.name());
            assertEquals(expected, error(RESP3, code, command(Command.SUB, RespCommand.SUBSCRIBE)), code.name());
        }
        assertEquals("-ERR slow-consumer too much output pending, disconnecting\r\n", error(RESP2, ErrorCode.SLOW_CONSUMER, null));
        assertEquals("-ERR bad-name " + ErrorCode.BAD_NAME.text() + "\r\n", error(RESP2, ErrorCode.BAD_NAME, null));
    }
}
