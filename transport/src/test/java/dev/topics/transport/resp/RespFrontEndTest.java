package dev.topics.transport.resp;

import dev.topics.testing.NettyLeakGuard;
import dev.topics.transport.AuthGate;
import dev.topics.transport.TransportCounters;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.TopicMatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RespFrontEnd} alone: each request (as an array, or inline) to the neutral commands it
 * makes, every one accepted as the transport would. Each command is shown as
 * {@code COMMAND[ ERROR] [t=topic] [MATCH] [a=argument] [n=names] d=detail [silent]}.
 */
@ExtendWith(NettyLeakGuard.class)
class RespFrontEndTest
{
    private static final int MAX_TOPIC = 8;
    private static final byte[] TOKEN = "pw".getBytes(StandardCharsets.US_ASCII);

    private final TransportCounters counters = new TransportCounters();
    private AuthGate auth = new AuthGate(null);
    private RespFrontEnd frontEnd = new RespFrontEnd(MAX_TOPIC, auth, counters);
    private boolean closeAsked;

    private void withAuth()
    {
        auth = new AuthGate(TOKEN);
        frontEnd = new RespFrontEnd(MAX_TOPIC, auth, counters);
    }

    /** The request as a RESP array of its arguments. */
    private List<String> array(final String... args)
    {
        final StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (final String arg : args)
        {
            request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        return run(request.toString());
    }

    /** The request's bytes as framed (an inline one without its line ending), after some other bytes. */
    private List<String> run(final String request)
    {
        final ByteBuf buffer = Unpooled.copiedBuffer("junk" + request + "junk", StandardCharsets.UTF_8);
        try
        {
            final int end = buffer.writerIndex() - 4;
            final List<String> made = new ArrayList<>();
            final ParsedLine out = new ParsedLine();
            for (int part = 0; frontEnd.command(buffer, 4, end, part, out); part++)
            {
                made.add(describe(out));
                closeAsked |= frontEnd.accepted(out);
            }
            return made;
        }
        finally
        {
            buffer.release();
        }
    }

    private static String describe(final ParsedLine out)
    {
        final StringBuilder text = new StringBuilder(out.command().name());
        if (out.command() == Command.INVALID)
        {
            text.append(' ').append(out.error());
        }
        if (out.topicLength() > 0)
        {
            text.append(" t=").append(bytes(out, out.topicIndex(), out.topicLength()));
        }
        if (out.match() != TopicMatch.EXACT)
        {
            text.append(' ').append(out.match());
        }
        if (out.argumentLength() >= 0)
        {
            text.append(" a=").append(bytes(out, out.argumentIndex(), out.argumentLength()));
        }
        if (out.nameCount() > 0)
        {
            text.append(" n=");
            for (int i = 0; i < out.nameCount(); i++)
            {
                text.append(i > 0 ? "," : "").append(bytes(out, out.nameIndex(i), out.nameLength(i)));
            }
        }
        final int detail = out.detail();
        final boolean named = out.command() != Command.HELLO && detail >= 0 && (detail & 0xFF) < RespCommand.values().length;
        text.append(" d=").append(named ? RespCommand.of(detail & 0xFF).name() : Integer.toString(detail));
        if (named && out.error() == ErrorCode.BAD_ARGUMENTS && RespArgumentError.of(detail) != RespArgumentError.WRONG_NUMBER)
        {
            text.append('/').append(RespArgumentError.of(detail).name());
        }
        if (out.silent())
        {
            text.append(" silent");
        }
        return text.toString();
    }

    private static String bytes(final ParsedLine out, final int index, final int length)
    {
        return out.line().toString(index, length, StandardCharsets.UTF_8);
    }

    @Test
    void shouldMakeOneSubPerChannelAndPatternsGlob()
    {
        assertEquals(List.of("SUB t=a d=SUBSCRIBE", "SUB t=b d=SUBSCRIBE", "SUB t=c d=SUBSCRIBE"),
            array("subscribe", "a", "b", "c"));
        assertEquals(List.of("SUB t=n.* GLOB_PATTERN d=PSUBSCRIBE"), array("PSubscribe", "n.*"));
        assertEquals(List.of("SUB t=a d=SUBSCRIBE", "SUB t=b c d=SUBSCRIBE"), run("SUBSCRIBE a \"b c\""));
    }

    @Test
    void shouldRefuseEmptyAndOverlongTopicsOneByOne()
    {
        assertEquals(List.of("SUB t=a d=SUBSCRIBE", "INVALID BAD_TOPIC d=SUBSCRIBE",
            "INVALID BAD_TOPIC t=123456789 d=SUBSCRIBE", "SUB t=12345678 d=SUBSCRIBE"),
            array("SUBSCRIBE", "a", "", "123456789", "12345678"));
        assertEquals(List.of("INVALID BAD_TOPIC t=123456789 a=m d=PUBLISH"), array("PUBLISH", "123456789", "m"));
    }

    @Test
    void shouldUnsubscribeEachOrAll()
    {
        assertEquals(List.of("UNSUB t=a d=UNSUBSCRIBE", "UNSUB t=b d=UNSUBSCRIBE"), array("unsubscribe", "a", "b"));
        assertEquals(List.of("UNSUB_ALL d=UNSUBSCRIBE"), array("UNSUBSCRIBE"));
        assertEquals(List.of("UNSUB_ALL GLOB_PATTERN d=PUNSUBSCRIBE"), array("punsubscribe"));
        assertEquals(List.of("UNSUB t=p* GLOB_PATTERN d=PUNSUBSCRIBE"), array("punsubscribe", "p*"));
    }

    @Test
    void shouldPublishAnyBytesAndGet()
    {
        assertEquals(List.of("PUB t=news a=x\r\ny d=PUBLISH"), array("PUBLISH", "news", "x\r\ny"));
        assertEquals(List.of("PUB t=news a= d=PUBLISH"), array("publish", "news", ""));
        assertEquals(List.of("GET t=news d=GET"), array("GET", "news"));
    }

    @Test
    void shouldPingEchoAndQuit()
    {
        assertEquals(List.of("PING d=PING"), array("PING"));
        assertEquals(List.of("PING a=hi d=PING"), array("ping", "hi"));
        assertEquals(List.of("RAW a=hi there d=ECHO"), run("ECHO \"hi there\""));
        assertEquals(List.of("QUIT d=QUIT"), array("QUIT"));
        assertEquals(List.of("QUIT d=QUIT"), array("quit", "now"));
    }

    @Test
    void shouldAnswerPubsubIntrospection()
    {
        assertEquals(List.of("CHANNELS d=PUBSUB_CHANNELS"), array("PUBSUB", "CHANNELS"));
        assertEquals(List.of("CHANNELS t=a* GLOB_PATTERN d=PUBSUB_CHANNELS"), array("pubsub", "channels", "a*"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS a=b d=PUBSUB_CHANNELS"), array("pubsub", "channels", "a*", "b"));
        assertEquals(List.of("NUMSUB n=a,b d=PUBSUB_NUMSUB"), array("PUBSUB", "NUMSUB", "a", "b"));
        assertEquals(List.of("NUMSUB d=PUBSUB_NUMSUB"), array("PUBSUB", "NUMSUB"));
        assertEquals(List.of("NUMPAT d=PUBSUB_NUMPAT"), array("PUBSUB", "NUMPAT"));
    }

    @Test
    void shouldMapClientSubcommands()
    {
        assertEquals(List.of("RAW d=CLIENT_ID"), array("CLIENT", "ID"));
        assertEquals(List.of("NAME t=me d=CLIENT_SETNAME"), array("client", "setname", "me"));
        assertEquals(List.of("NAME d=CLIENT_SETNAME"), array("client", "setname", ""));
        assertEquals(List.of("INVALID BAD_NAME t=a b d=CLIENT_SETNAME"), array("client", "setname", "a b"));
        assertEquals(List.of("INVALID BAD_NAME t=" + "n".repeat(65) + " d=CLIENT_SETNAME"),
            array("client", "setname", "n".repeat(65)));
        assertEquals(List.of("GETNAME d=CLIENT_GETNAME"), array("CLIENT", "GETNAME"));
        assertEquals(List.of("RAW d=CLIENT_SETINFO"), array("CLIENT", "SETINFO", "lib-name", "x"));
        assertEquals(List.of("CLIENTS d=CLIENT_LIST"), array("CLIENT", "LIST"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS a=TYPE d=CLIENT_LIST/SYNTAX"), array("CLIENT", "LIST", "TYPE", "normal"));
    }

    @Test
    void shouldMapTheRest()
    {
        assertEquals(List.of("RESET d=RESET"), array("RESET"));
        assertEquals(List.of("RAW d=SELECT"), array("SELECT", "0"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS d=SELECT/DB_INDEX_OUT_OF_RANGE"), array("SELECT", "1"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS a=x d=SELECT/NOT_AN_INTEGER"), array("SELECT", "x"));
        assertEquals(List.of("RAW d=COMMAND"), array("COMMAND"));
        assertEquals(List.of("RAW n=get d=COMMAND_DOCS"), array("COMMAND", "DOCS", "get"));
        assertEquals(List.of("RAW d=COMMAND_COUNT"), array("command", "count"));
        assertEquals(List.of("STATS d=INFO"), array("INFO"));
        assertEquals(List.of("STATS n=server d=INFO"), array("INFO", "server"));
        assertEquals(List.of("FLUSH d=FLUSHALL"), array("FLUSHALL"));
        assertEquals(List.of("FLUSH d=FLUSHALL"), array("flushall", "async"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS a=x d=FLUSHALL/SYNTAX"), array("flushall", "x"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS a=b d=FLUSHALL/SYNTAX"), array("flushall", "sync", "b"));
        assertEquals(List.of("RAW d=FUNCTION_FLUSH"), array("FUNCTION", "FLUSH", "SYNC"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS a=x d=FUNCTION_FLUSH/FUNCTION_FLUSH_MODE"), array("FUNCTION", "FLUSH", "x"));
    }

    @Test
    void shouldRefuseWrongArityBeforeAnythingElse()
    {
        assertEquals(List.of("INVALID BAD_ARGUMENTS d=SUBSCRIBE"), array("SUBSCRIBE"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS d=PUBLISH"), array("PUBLISH", "a"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS d=PING"), array("PING", "a", "b"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS d=ECHO"), array("ECHO"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS a=ID d=CLIENT_ID"), array("CLIENT", "ID", "x"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS a=numpat d=PUBSUB_NUMPAT"), array("PUBSUB", "numpat", "x"));
        // A container alone: its name, to word 'client'.
        assertEquals(List.of("INVALID BAD_ARGUMENTS d=CLIENT_ID/CONTAINER_ALONE"), array("CLIENT"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS d=PUBSUB_CHANNELS/CONTAINER_ALONE"), array("pubsub"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS d=FUNCTION_FLUSH/CONTAINER_ALONE"), array("FUNCTION"));
    }

    @Test
    void shouldNameEveryArgumentOfAnUnknownCommand()
    {
        assertEquals(List.of("INVALID UNKNOWN_COMMAND n=SET,k,v d=-1"), array("SET", "k", "v"));
        assertEquals(List.of("INVALID UNKNOWN_COMMAND n=foo,a b d=-1"), run("foo 'a b'"));
        assertEquals(List.of("INVALID UNKNOWN_COMMAND a=FOO n=CLIENT,FOO,x d=CLIENT_ID"), array("CLIENT", "FOO", "x"));
        assertEquals(List.of("INVALID UNKNOWN_COMMAND a=x n=PUBSUB,x d=PUBSUB_CHANNELS"), array("PUBSUB", "x"));
        assertEquals(List.of("INVALID UNKNOWN_COMMAND a=INFO n=COMMAND,INFO d=COMMAND"), array("COMMAND", "INFO"));
        assertEquals(List.of("INVALID UNKNOWN_COMMAND a=LOAD n=FUNCTION,LOAD d=FUNCTION_FLUSH"), array("FUNCTION", "LOAD"));
    }

    @Test
    void shouldSplitInlineRequestsAsSdssplitargs()
    {
        assertEquals(List.of("PUB t=a a=x\ny\t\u0001A\"z d=PUBLISH"), run("PUBLISH a \"x\\ny\\t\\x01\\x41\\\"z\""));
        assertEquals(List.of("PUB t=a a=it's d=PUBLISH"), run("  publish\ta  'it\\'s'  "));
        assertEquals(List.of("PUB t=a a=bc d d=PUBLISH"), run("PUBLISH a b\"c d\""));
        assertEquals(List.of("PUB t=a a= d=PUBLISH"), run("PUBLISH a \"\""));
    }

    /** Each as redis-server 7.0.15 answered the same inline ECHO. */
    @Test
    void shouldSplitInlineRequestsAsRedisDoes()
    {
        assertEquals(List.of("RAW a=aOb\n d=ECHO"), run("ECHO \"a\\x4Fb\\n\""));
        assertEquals(List.of("RAW a=a'b d=ECHO"), run("ECHO 'a\\'b'"));
        assertEquals(List.of("RAW a=ab c d=ECHO"), run("ECHO a\"b c\""));
        assertEquals(List.of("RAW a= d=ECHO"), run("ECHO \"\""));
        assertEquals(List.of("RAW a=x\\ny d=ECHO"), run("ECHO 'x\\ny'"));
        assertEquals(List.of("RAW a=aqb d=ECHO"), run("ECHO \"a\\qb\""));
        assertEquals(List.of("INVALID BAD_ARGUMENTS d=ECHO"), run("ECHO a\tb"));
        assertEquals(List.of("RAW a=x d=ECHO"), run("ECHO \u000bx"));
        for (final String unbalanced : List.of("ECHO a\"b c\"d", "ECHO \"x\\\"", "ECHO it's"))
        {
            final ByteBuf line = Unpooled.copiedBuffer(unbalanced, StandardCharsets.UTF_8);
            assertEquals(RespInline.UNBALANCED, RespInline.split(line, 0, line.writerIndex(), null, null, null), unbalanced);
            line.release();
        }
    }

    @Test
    void shouldSilenceRepliesWhileOffAndForTheRequestAfterSkip()
    {
        assertEquals(List.of("RAW d=CLIENT_REPLY silent"), array("CLIENT", "REPLY", "OFF"));
        assertEquals(List.of("SUB t=a d=SUBSCRIBE silent", "SUB t=b d=SUBSCRIBE silent"), array("SUBSCRIBE", "a", "b"));
        assertEquals(List.of("INVALID UNKNOWN_COMMAND n=x d=-1 silent"), array("x"));
        assertEquals(List.of("RAW d=CLIENT_REPLY"), array("CLIENT", "REPLY", "ON"));
        assertEquals(List.of("PING d=PING"), array("PING"));

        assertEquals(List.of("RAW d=CLIENT_REPLY silent"), array("client", "reply", "skip"));
        assertEquals(List.of("SUB t=a d=SUBSCRIBE silent", "SUB t=b d=SUBSCRIBE silent"), array("SUBSCRIBE", "a", "b"));
        assertEquals(List.of("PING d=PING"), array("PING"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS a=maybe d=CLIENT_REPLY/SYNTAX"), array("CLIENT", "REPLY", "maybe"));
    }

    @Test
    void shouldAnswerResetEvenWhileOffButNotRightAfterSkip()
    {
        array("CLIENT", "REPLY", "OFF");
        assertEquals(List.of("RESET d=RESET"), array("RESET"));
        assertEquals(List.of("PING d=PING"), array("PING"));
        array("CLIENT", "REPLY", "SKIP");
        assertEquals(List.of("RESET d=RESET silent"), array("RESET"));
        assertEquals(List.of("PING d=PING"), array("PING"));
    }

    @Test
    void shouldOfferTheSameCommandAgainWithoutCommittingAnything()
    {
        array("CLIENT", "REPLY", "SKIP");
        // Asked twice (no room the first time), then accepted: still only this request is skipped.
        final ByteBuf request = Unpooled.copiedBuffer("*2\r\n$4\r\nPING\r\n$1\r\nx\r\n", StandardCharsets.UTF_8);
        final ParsedLine out = new ParsedLine();
        assertTrue(frontEnd.command(request, 0, request.writerIndex(), 0, out));
        assertTrue(frontEnd.command(request, 0, request.writerIndex(), 0, out));
        assertTrue(out.silent());
        frontEnd.accepted(out);
        assertFalse(frontEnd.command(request, 0, request.writerIndex(), 1, out));
        request.release();
        assertEquals(List.of("PING d=PING"), array("PING"));
    }

    @Test
    void shouldHelloWithVersionNameAndAuth()
    {
        assertEquals(List.of("HELLO d=0"), array("HELLO"));
        assertEquals(List.of("HELLO a=3 d=3"), array("hello", "3"));
        assertEquals(List.of("NAME t=me d=HELLO silent", "HELLO a=2 d=2"), array("HELLO", "2", "SETNAME", "me"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS d=HELLO/NO_PROTOCOL"), array("HELLO", "4"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS d=HELLO/PROTOCOL_VERSION_NOT_INTEGER"), array("HELLO", "x"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS a=FOO d=HELLO/HELLO_OPTION"), array("HELLO", "3", "FOO"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS a=AUTH d=HELLO/HELLO_OPTION"), array("HELLO", "3", "AUTH", "default"));
        assertEquals(List.of("INVALID BAD_NAME t=a b d=HELLO"), array("HELLO", "3", "SETNAME", "a b"));
        // Without a password, Redis' default user takes any; no other user exists.
        assertEquals(List.of("HELLO a=3 d=3"), array("HELLO", "3", "AUTH", "default", "x"));
        assertEquals(List.of("INVALID AUTH_FAILED d=HELLO"), array("HELLO", "3", "AUTH", "bob", "x"));
        assertEquals(0, counters.authFailures.sum());
    }

    @Test
    void shouldAuthenticateWithHelloAuthOnly()
    {
        withAuth();
        assertEquals(List.of("INVALID AUTH_REQUIRED d=HELLO"), array("HELLO", "3"));
        assertEquals(List.of("INVALID AUTH_REQUIRED d=HELLO"), array("HELLO"));
        assertEquals(List.of("INVALID AUTH_FAILED d=HELLO"), array("HELLO", "3", "AUTH", "default", "nope"));
        assertEquals(1, counters.authFailures.sum());
        assertFalse(auth.authenticated());
        assertEquals(List.of("NAME t=me d=HELLO silent", "HELLO a=3 d=3"),
            array("HELLO", "3", "AUTH", "default", "pw", "SETNAME", "me"));
        assertTrue(auth.authenticated());
        assertEquals(List.of("SUB t=a d=SUBSCRIBE"), array("SUBSCRIBE", "a"));
    }

    @Test
    void shouldRequireAuthOnceForAWholeRequest()
    {
        withAuth();
        assertEquals(List.of("INVALID AUTH_REQUIRED d=SUBSCRIBE"), array("SUBSCRIBE", "a", "b", "c"));
        assertEquals(List.of("INVALID AUTH_REQUIRED d=PUBLISH"), array("PUBLISH", "a", "b"));
        assertEquals(List.of("INVALID AUTH_REQUIRED d=CLIENT_SETNAME"), array("CLIENT", "SETNAME", "x"));
        // Unknown commands and wrong arities are answered first, as in Redis; QUIT and RESET pass.
        assertEquals(List.of("INVALID UNKNOWN_COMMAND n=SET,k d=-1"), array("SET", "k"));
        assertEquals(List.of("INVALID BAD_ARGUMENTS d=SUBSCRIBE"), array("SUBSCRIBE"));
        assertEquals(List.of("RESET d=RESET"), array("RESET"));
        assertEquals(List.of("QUIT d=QUIT"), array("QUIT"));
        // PING checks its arity itself, after authentication; CLIENT REPLY changes nothing unauthenticated.
        assertEquals(List.of("INVALID AUTH_REQUIRED d=PING"), array("PING", "a", "b"));
        assertEquals(List.of("INVALID AUTH_REQUIRED d=CLIENT_REPLY"), array("CLIENT", "REPLY", "OFF"));
        assertEquals(List.of("INVALID AUTH_REQUIRED d=PING"), array("PING"));
    }

    @Test
    void shouldAuthThroughTheGateAndCloseAfterTooManyFailures()
    {
        withAuth();
        assertEquals(List.of("INVALID AUTH_FAILED d=AUTH"), array("AUTH", "bad"));
        assertEquals(List.of("INVALID AUTH_FAILED d=AUTH"), array("AUTH", "bob", "pw"));
        assertFalse(closeAsked);
        assertEquals(List.of("AUTH a=pw d=AUTH"), array("AUTH", "default", "pw"));
        assertTrue(auth.authenticated());
        assertEquals(List.of("PUB t=a a=b d=PUBLISH"), array("PUBLISH", "a", "b"));
        assertEquals(List.of("INVALID AUTH_FAILED d=AUTH"), array("AUTH", "bad"));
        assertTrue(closeAsked, "the third wrong password closes");
        assertEquals(3, counters.authFailures.sum());
        assertEquals(List.of("INVALID BAD_ARGUMENTS a=c d=AUTH/SYNTAX"), array("AUTH", "a", "b", "c"));
    }

    @Test
    void shouldForgetAuthenticationOnReset()
    {
        withAuth();
        array("AUTH", "pw");
        assertEquals(List.of("PING d=PING"), array("PING"));
        array("RESET");
        assertEquals(List.of("INVALID AUTH_REQUIRED d=PING"), array("PING"));
    }

    @Test
    void shouldAnswerAuthWithoutAPasswordAsRedis()
    {
        assertEquals(List.of("INVALID AUTH_NOT_ENABLED d=AUTH"), array("AUTH", "x"));
        assertEquals(List.of("AUTH a=x d=AUTH"), array("AUTH", "default", "x"));
        assertEquals(List.of("INVALID AUTH_FAILED d=AUTH"), array("AUTH", "bob", "x"));
        assertFalse(closeAsked);
    }

    @Test
    void shouldIgnoreABlankRequest()
    {
        assertEquals(List.of(), run("   "));
    }

    @Test
    void shouldCloseWithASilentQuit()
    {
        final ParsedLine out = new ParsedLine();
        frontEnd.closeCommand(out);
        assertEquals(Command.QUIT, out.command());
        assertTrue(out.silent());
        assertEquals(RespEncoder.RESP2, frontEnd.encoder());
    }
}
