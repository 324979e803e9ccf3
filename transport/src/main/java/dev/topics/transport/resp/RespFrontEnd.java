package dev.topics.transport.resp;

import dev.topics.transport.AuthGate;
import dev.topics.transport.FrontEnd;
import dev.topics.transport.TransportCounters;
import dev.topics.transport.WireProtocol;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.ReplyEncoder;
import dev.topics.transport.codec.TopicMatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

/**
 * RESP requests, as the {@link RespFrameDecoder} frames them, to neutral commands, per
 * {@link RespCommand}'s table: {@code SUBSCRIBE a b c} is three SUBs. Command and subcommand names
 * are matched case-insensitively without allocation; a request's arguments are scanned in place
 * (an inline request's are unescaped into a scratch buffer, which its commands then refer to).
 *
 * <p>Every command made carries its {@link RespCommand}'s ordinal as {@code detail}, except HELLO,
 * whose detail is the protocol version it asks for (2 or 3; 0 without one), as the engine reads
 * it. Conventions for the encoder, by the {@link ErrorCode} of an {@link Command#INVALID}
 * command (whose detail is a {@code RespCommand} ordinal unless said otherwise):
 * <ul>
 * <li>{@code UNKNOWN_COMMAND}: every argument of the request is a name ({@code nameCount()}, the
 *     command's own name first). Detail -1: an unknown command ({@code unknown command 'foo',
 *     with args beginning with: 'a' 'b' }). Detail the first subcommand of a known container
 *     ({@code CLIENT_ID} for CLIENT, {@code PUBSUB_CHANNELS}, {@code COMMAND},
 *     {@code FUNCTION_FLUSH}) and the argument the subcommand as sent: an unknown subcommand
 *     ({@code unknown subcommand 'FOO'. Try CLIENT HELP.}).</li>
 * <li>{@code BAD_ARGUMENTS}, by shape:
 *     <ul>
 *     <li>no name, no argument: wrong arity, {@code wrong number of arguments for '<fullName>' command};</li>
 *     <li>one name (the container as sent), detail the container's first subcommand: the container
 *         sent alone, {@code wrong number of arguments for 'client' command} (fullName before {@code |});</li>
 *     <li>HELLO, one name (the version), no argument: {@code -NOPROTO unsupported protocol version};
 *         HELLO, one name and the argument (both the version): {@code Protocol version is not an
 *         integer or out of range}; HELLO, no name, the argument: {@code Syntax error in HELLO
 *         option '<argument>'};</li>
 *     <li>SELECT, one name (the index): {@code DB index is out of range}; SELECT, the argument:
 *         {@code value is not an integer or out of range};</li>
 *     <li>FUNCTION_FLUSH with the argument: {@code FUNCTION FLUSH only supports SYNC|ASYNC option};
 *         PUBSUB_CHANNELS with the argument (a third argument): {@code unknown subcommand or wrong
 *         number of arguments for 'CHANNELS'. Try PUBSUB HELP.};</li>
 *     <li>any other command with the argument (the argument not understood): {@code syntax error}.</li>
 *     </ul></li>
 * <li>{@code AUTH_REQUIRED}: detail HELLO: Redis' long {@code -NOAUTH HELLO must be called...};
 *     else {@code -NOAUTH Authentication required.}. One error for the whole request, however
 *     many commands it would have made.</li>
 * <li>{@code AUTH_FAILED}: {@code -WRONGPASS ...} (AUTH, or HELLO with AUTH).
 *     {@code AUTH_NOT_ENABLED}: {@code AUTH <password> called without any password configured...}.</li>
 * <li>{@code BAD_TOPIC}: a channel or pattern that is empty (Redis takes it; the engine has no
 *     empty topic) or longer than --max-topic-length: that channel's command only.</li>
 * <li>{@code BAD_NAME}: CLIENT SETNAME or HELLO SETNAME with a name of bytes outside {@code !..~}
 *     (or longer than {@link Command#MAX_NAME_BYTES}): {@code Client names cannot contain spaces,
 *     newlines or special characters.}</li>
 * </ul>
 * RAW commands: ECHO (argument = message), CLIENT ID, CLIENT SETINFO, CLIENT REPLY ON, SELECT 0,
 * COMMAND, COMMAND COUNT, COMMAND DOCS (names = the commands asked for), FUNCTION FLUSH. INFO is
 * STATS with its sections as names. HELLO ... SETNAME name makes a silent NAME (detail: HELLO's
 * ordinal) before the HELLO, whose argument is the version as sent. Names travel to the engine and
 * the encoder packed as the command's payload ({@code NameList}) when the encoder's ingress frame
 * is null, so errors worded from names need no frame of their own.
 *
 * <p>CLIENT REPLY: OFF and SKIP are silent RAW commands (so their effect is committed in order
 * when accepted); while replies are off, or for the request after a SKIP, every command is
 * {@link ParsedLine#silent silent}; ON is answered {@code +OK} and never silent; RESET turns
 * replies back on and is answered unless a SKIP was pending, as in Redis.
 *
 * <p>Authentication: as in Redis, an unknown command or a wrong arity is answered before the
 * connection's authentication is looked at; AUTH, HELLO (with its own AUTH), QUIT and RESET pass
 * without it.
 *
 * <p>One instance per connection, on its event-loop thread.
 */
public final class RespFrontEnd implements FrontEnd
{
    private static final Logger LOG = Logger.getLogger(RespFrontEnd.class.getName());

    private static final byte[] DEFAULT_USER = "default".getBytes(StandardCharsets.US_ASCII);

    /** What accepted() changes about replies when the request it ends is accepted. */
    private static final int REPLY_KEEP = 0;
    private static final int REPLY_ON = 1;
    private static final int REPLY_OFF = 2;
    private static final int REPLY_SKIP = 3;

    private static final byte[][] NAMES = names("SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "PUBLISH",
        "PING", "ECHO", "HELLO", "AUTH", "RESET", "QUIT", "SELECT", "GET", "INFO", "FLUSHALL", "CLIENT", "PUBSUB",
        "COMMAND", "FUNCTION");
    /** The command of each of {@link #NAMES}; for a container, its first subcommand. */
    private static final RespCommand[] COMMANDS = {
        RespCommand.SUBSCRIBE, RespCommand.UNSUBSCRIBE, RespCommand.PSUBSCRIBE, RespCommand.PUNSUBSCRIBE,
        RespCommand.PUBLISH, RespCommand.PING, RespCommand.ECHO, RespCommand.HELLO, RespCommand.AUTH,
        RespCommand.RESET, RespCommand.QUIT, RespCommand.SELECT, RespCommand.GET, RespCommand.INFO,
        RespCommand.FLUSHALL, RespCommand.CLIENT_ID, RespCommand.PUBSUB_CHANNELS, RespCommand.COMMAND,
        RespCommand.FUNCTION_FLUSH};
    /** Index in {@link #NAMES} of the first container. */
    private static final int FIRST_CONTAINER = 15;
    private static final byte[][][] SUB_NAMES = {
        names("ID", "SETNAME", "GETNAME", "SETINFO", "REPLY", "LIST"),
        names("CHANNELS", "NUMSUB", "NUMPAT"),
        names("DOCS", "COUNT"),
        names("FLUSH")};
    private static final RespCommand[][] SUB_COMMANDS = {
        {RespCommand.CLIENT_ID, RespCommand.CLIENT_SETNAME, RespCommand.CLIENT_GETNAME, RespCommand.CLIENT_SETINFO,
            RespCommand.CLIENT_REPLY, RespCommand.CLIENT_LIST},
        {RespCommand.PUBSUB_CHANNELS, RespCommand.PUBSUB_NUMSUB, RespCommand.PUBSUB_NUMPAT},
        {RespCommand.COMMAND_DOCS, RespCommand.COMMAND_COUNT},
        {RespCommand.FUNCTION_FLUSH}};
    private static final byte[] ON = bytes("ON");
    private static final byte[] OFF = bytes("OFF");
    private static final byte[] SKIP = bytes("SKIP");
    private static final byte[] AUTH = bytes("AUTH");
    private static final byte[] SETNAME = bytes("SETNAME");
    private static final byte[] ASYNC = bytes("ASYNC");
    private static final byte[] SYNC = bytes("SYNC");

    private final int maxTopicBytes;
    private final AuthGate auth;
    private final TransportCounters counters;

    /** Replies are off (CLIENT REPLY OFF) until ON or RESET. */
    private boolean repliesOff;
    /** The next request's replies are skipped (CLIENT REPLY SKIP). */
    private boolean skipNext;

    // The arguments of the request last scanned: argument i at src[argStarts[i], + argLengths[i]).
    private ByteBuf src;
    private int argc;
    private int[] argStarts = new int[16];
    private int[] argLengths = new int[16];
    private int lineIndex;
    private int lineLength;
    /** The request last scanned, to scan it once for all its commands. */
    private ByteBuf scannedBuffer;
    private int scannedStart;
    private int scannedEnd;
    /** Where an inline request's unescaped arguments are written. */
    private byte[] inlineBytes = new byte[0];
    private ByteBuf inlineView = Unpooled.EMPTY_BUFFER;

    // What the command last filled commits once accepted.
    private boolean lastOfRequest;
    private AuthGate.Verdict verdict = AuthGate.Verdict.PASS;
    private int replyChange;
    private boolean reset;

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
        if (part == 0 || buffer != scannedBuffer || start != scannedStart || end != scannedEnd)
        {
            scan(buffer, start, end);
        }
        if (argc == 0)
        {
            return false;
        }
        verdict = AuthGate.Verdict.PASS;
        replyChange = REPLY_KEEP;
        reset = false;
        lastOfRequest = true;
        if (!fill(part, out))
        {
            return false;
        }
        if (out.command() != Command.RAW || replyChange != REPLY_ON)
        {
            final boolean skipped = skipNext || (repliesOff && !reset);
            if (skipped || replyChange == REPLY_OFF || replyChange == REPLY_SKIP)
            {
                out.silent(true);
            }
        }
        return true;
    }

    @Override
    public boolean accepted(final ParsedLine out)
    {
        if (lastOfRequest)
        {
            skipNext = false;
            switch (replyChange)
            {
                case REPLY_ON -> repliesOff = false;
                case REPLY_OFF -> repliesOff = true;
                case REPLY_SKIP -> skipNext = true;
                default ->
                {
                }
            }
            if (reset)
            {
                auth.reset();
                repliesOff = false;
            }
        }
        if (verdict == AuthGate.Verdict.FAILED)
        {
            counters.authFailures.increment();
            LOG.fine("wrong auth password");
        }
        final AuthGate.Verdict committed = verdict;
        verdict = AuthGate.Verdict.PASS;
        return auth.commit(committed);
    }

    @Override
    public void closeCommand(final ParsedLine out)
    {
        out.asCommand(Command.QUIT).silent(true);
    }

    // ---------------------------------------------------------------- scanning

    private void scan(final ByteBuf buffer, final int start, final int end)
    {
        scannedBuffer = buffer;
        scannedStart = start;
        scannedEnd = end;
        if (start < end && buffer.getByte(start) == '*')
        {
            src = buffer;
            lineIndex = start;
            lineLength = end - start;
            // The decoder has checked the frame: every header is a valid count, so a plain
            // digit loop finds it and its CR in one pass (ByteBuf.indexOf cost more here).
            int pos = start + 1;
            int count = 0;
            for (byte b; (b = buffer.getByte(pos)) != '\r'; pos++)
            {
                count = count * 10 + b - '0';
            }
            ensureArgs(count);
            pos += 2;
            for (int i = 0; i < count; i++)
            {
                int length = 0;
                pos++; // the '$'
                for (byte b; (b = buffer.getByte(pos)) != '\r'; pos++)
                {
                    length = length * 10 + b - '0';
                }
                argStarts[i] = pos + 2;
                argLengths[i] = length;
                pos += 2 + length + 2;
            }
            argc = count;
            return;
        }
        final int length = end - start;
        if (inlineBytes.length < length)
        {
            inlineBytes = new byte[Math.max(length, 64)];
            inlineView = Unpooled.wrappedBuffer(inlineBytes);
        }
        ensureArgs((length + 1) / 2 + 1);
        argc = Math.max(0, RespInline.split(buffer, start, end, inlineBytes, argStarts, argLengths));
        src = inlineView;
        lineIndex = 0;
        lineLength = argc == 0 ? 0 : argStarts[argc - 1] + argLengths[argc - 1];
    }

    private void ensureArgs(final int count)
    {
        if (argStarts.length < count)
        {
            argStarts = new int[count];
            argLengths = new int[count];
        }
    }

    // ---------------------------------------------------------------- commands

    /** Fills {@code out} with command {@code part} of the scanned request; false when it has none. */
    private boolean fill(final int part, final ParsedLine out)
    {
        final int nameIndex = find(NAMES, 0);
        if (nameIndex < 0)
        {
            return unknown(part, out, -1, false);
        }
        RespCommand command = COMMANDS[nameIndex];
        if (nameIndex >= FIRST_CONTAINER)
        {
            final int container = nameIndex - FIRST_CONTAINER;
            if (argc == 1)
            {
                if (command != RespCommand.COMMAND)
                {
                    if (part > 0)
                    {
                        return false;
                    }
                    start(Command.INVALID, command, out).withError(ErrorCode.BAD_ARGUMENTS)
                        .detail(RespArgumentError.CONTAINER_ALONE.detail(command));
                    return true;
                }
            }
            else
            {
                final int sub = find(SUB_NAMES[container], 1);
                if (sub < 0)
                {
                    return unknown(part, out, command.ordinal(), true);
                }
                command = SUB_COMMANDS[container][sub];
            }
        }
        if (!arityOk(command))
        {
            if (part > 0)
            {
                return false;
            }
            start(Command.INVALID, command, out).withError(ErrorCode.BAD_ARGUMENTS);
            if (command.fullName().indexOf('|') >= 0)
            {
                // The subcommand's own arity, told apart from the container sent alone.
                arg(out, 1);
            }
            return true;
        }
        return switch (command)
        {
            case HELLO -> hello(part, out);
            case AUTH -> auth(part, out);
            case QUIT -> single(part, out, command);
            case RESET ->
            {
                if (part > 0)
                {
                    yield false;
                }
                start(command.command(), command, out);
                reset = true;
                yield true;
            }
            default -> authenticated(part, out, command);
        };
    }

    /** A command that needs the connection authenticated: one AUTH_REQUIRED error for the request when it is not. */
    private boolean authenticated(final int part, final ParsedLine out, final RespCommand command)
    {
        if (!auth.authenticated())
        {
            if (part > 0)
            {
                return false;
            }
            start(command.command(), command, out).withError(ErrorCode.AUTH_REQUIRED);
            return true;
        }
        return switch (command)
        {
            case SUBSCRIBE, PSUBSCRIBE -> topics(part, out, command, Command.SUB);
            case UNSUBSCRIBE, PUNSUBSCRIBE -> argc == 1 ? unsubscribeAll(part, out, command)
                : topics(part, out, command, Command.UNSUB);
            case PUBLISH -> part == 0 && topic(start(Command.PUB, command, out), 1, TopicMatch.EXACT)
                .withArgument(argStarts[2], argLengths[2]) != null;
            case GET -> part == 0 && topic(start(Command.GET, command, out), 1, TopicMatch.EXACT) != null;
            case PING ->
            {
                if (part > 0)
                {
                    yield false;
                }
                start(Command.PING, command, out);
                if (argc > 2)
                {
                    // One message at most, which Redis checks in the command: after authentication.
                    out.withError(ErrorCode.BAD_ARGUMENTS);
                }
                else if (argc == 2)
                {
                    arg(out, 1);
                }
                yield true;
            }
            case ECHO -> part == 0 && arg(start(Command.RAW, command, out), 1) != null;
            case PUBSUB_CHANNELS -> channels(part, out, command);
            case PUBSUB_NUMSUB, COMMAND_DOCS, INFO -> part == 0 && names(start(command.command(), command, out), 2 - (
                command == RespCommand.INFO ? 1 : 0)) != null;
            case CLIENT_SETNAME -> part == 0 && name(out, command, 2, Command.NAME);
            case CLIENT_REPLY -> clientReply(part, out, command);
            case CLIENT_LIST -> part == 0 && (argc == 2 ? start(Command.CLIENTS, command, out)
                : arg(start(Command.INVALID, command, out).withError(ErrorCode.BAD_ARGUMENTS)
                    .detail(RespArgumentError.SYNTAX.detail(command)), 2)) != null;
            case SELECT -> select(part, out, command);
            case FLUSHALL -> part == 0 && flushOption(out, command, 1, 2);
            case FUNCTION_FLUSH -> part == 0 && flushOption(out, command, 2, 3);
            default -> single(part, out, command);
        };
    }

    private boolean single(final int part, final ParsedLine out, final RespCommand command)
    {
        if (part > 0)
        {
            return false;
        }
        start(command.command(), command, out);
        return true;
    }

    /** SUBSCRIBE-like: one {@code command} per argument from 1. */
    private boolean topics(final int part, final ParsedLine out, final RespCommand command, final Command neutral)
    {
        final int index = part + 1;
        if (index >= argc)
        {
            return false;
        }
        lastOfRequest = index == argc - 1;
        final TopicMatch match = command == RespCommand.SUBSCRIBE || command == RespCommand.UNSUBSCRIBE
            ? TopicMatch.EXACT : TopicMatch.GLOB_PATTERN;
        topic(start(neutral, command, out), index, match);
        return true;
    }

    private boolean unsubscribeAll(final int part, final ParsedLine out, final RespCommand command)
    {
        if (part > 0)
        {
            return false;
        }
        start(Command.UNSUB_ALL, command, out).withMatch(
            command == RespCommand.UNSUBSCRIBE ? TopicMatch.EXACT : TopicMatch.GLOB_PATTERN);
        return true;
    }

    private boolean channels(final int part, final ParsedLine out, final RespCommand command)
    {
        if (part > 0)
        {
            return false;
        }
        start(Command.CHANNELS, command, out);
        if (argc > 3)
        {
            arg(out.withError(ErrorCode.BAD_ARGUMENTS), 3);
        }
        else if (argc == 3)
        {
            topic(out, 2, TopicMatch.GLOB_PATTERN);
        }
        return true;
    }

    /** Sets argument {@code index} as the topic, or makes {@code out} BAD_TOPIC when it cannot be one. */
    private ParsedLine topic(final ParsedLine out, final int index, final TopicMatch match)
    {
        out.withTopic(argStarts[index], argLengths[index]).withMatch(match);
        if (argLengths[index] == 0 || argLengths[index] > maxTopicBytes)
        {
            out.withError(ErrorCode.BAD_TOPIC);
        }
        return out;
    }

    private boolean clientReply(final int part, final ParsedLine out, final RespCommand command)
    {
        if (part > 0)
        {
            return false;
        }
        start(Command.RAW, command, out);
        if (is(2, ON))
        {
            replyChange = REPLY_ON;
        }
        else if (is(2, OFF))
        {
            replyChange = REPLY_OFF;
        }
        else if (is(2, SKIP))
        {
            replyChange = REPLY_SKIP;
        }
        else
        {
            arg(out.withError(ErrorCode.BAD_ARGUMENTS).detail(RespArgumentError.SYNTAX.detail(command)), 2);
        }
        return true;
    }

    private boolean select(final int part, final ParsedLine out, final RespCommand command)
    {
        if (part > 0)
        {
            return false;
        }
        start(Command.RAW, command, out);
        final long index = RespFrameDecoder.parseLong(src, argStarts[1], argStarts[1] + argLengths[1]);
        if (index == Long.MIN_VALUE || index < Integer.MIN_VALUE || index > Integer.MAX_VALUE)
        {
            arg(out.withError(ErrorCode.BAD_ARGUMENTS).detail(RespArgumentError.NOT_AN_INTEGER.detail(command)), 1);
        }
        else if (index != 0)
        {
            out.withError(ErrorCode.BAD_ARGUMENTS).detail(RespArgumentError.DB_INDEX_OUT_OF_RANGE.detail(command));
        }
        return true;
    }

    /** FLUSHALL [ASYNC|SYNC] (option at {@code option}, at most {@code maxArgs} arguments). */
    private boolean flushOption(final ParsedLine out, final RespCommand command, final int option, final int maxArgs)
    {
        start(command.command(), command, out);
        if (argc > maxArgs)
        {
            arg(out.withError(ErrorCode.BAD_ARGUMENTS).detail(flushWording(command)), maxArgs);
        }
        else if (argc > option && !is(option, ASYNC) && !is(option, SYNC))
        {
            arg(out.withError(ErrorCode.BAD_ARGUMENTS).detail(flushWording(command)), option);
        }
        return true;
    }

    /** How FLUSHALL and FUNCTION FLUSH word an option they do not take. */
    private static int flushWording(final RespCommand command)
    {
        return (command == RespCommand.FUNCTION_FLUSH ? RespArgumentError.FUNCTION_FLUSH_MODE : RespArgumentError.SYNTAX)
            .detail(command);
    }

    /** CLIENT SETNAME's or HELLO's name at argument {@code index}: NAME, or BAD_NAME. */
    private boolean name(final ParsedLine out, final RespCommand command, final int index, final Command neutral)
    {
        start(neutral, command, out).withTopic(argStarts[index], argLengths[index]);
        if (!validName(index))
        {
            out.withError(ErrorCode.BAD_NAME);
        }
        return true;
    }

    private boolean validName(final int index)
    {
        final int length = argLengths[index];
        if (length > Command.MAX_NAME_BYTES)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            final byte b = src.getByte(argStarts[index] + i);
            if (b < '!' || b > '~')
            {
                return false;
            }
        }
        return true;
    }

    private boolean auth(final int part, final ParsedLine out)
    {
        if (part > 0)
        {
            return false;
        }
        final RespCommand command = RespCommand.AUTH;
        start(Command.AUTH, command, out);
        if (argc > 3)
        {
            arg(out.withError(ErrorCode.BAD_ARGUMENTS).detail(RespArgumentError.SYNTAX.detail(command)), 3);
            return true;
        }
        arg(out, argc - 1);
        if (argc == 3 && !is(1, DEFAULT_USER, true))
        {
            // Only the default user exists: any other is a wrong pair, counted when auth is on.
            // Made as the gate makes its errors: without the line, so the password goes no further.
            out.asError(ErrorCode.AUTH_FAILED).detail(command.ordinal());
            verdict = auth.required() ? AuthGate.Verdict.FAILED : AuthGate.Verdict.PASS;
            return true;
        }
        if (argc == 3 && !auth.required())
        {
            // Redis' default user without a password takes any: AUTH default x is +OK.
            return true;
        }
        verdict = auth.check(out);
        out.detail(command.ordinal());
        return true;
    }

    /** HELLO [protover [AUTH user pass] [SETNAME name]]: [NAME (silent)] then HELLO, or one error. */
    private boolean hello(final int part, final ParsedLine out)
    {
        final RespCommand command = RespCommand.HELLO;
        int version = 0;
        if (argc >= 2)
        {
            final long asked = RespFrameDecoder.parseLong(src, argStarts[1], argStarts[1] + argLengths[1]);
            if (asked == Long.MIN_VALUE || asked < 2 || asked > 3)
            {
                if (part > 0)
                {
                    return false;
                }
                start(Command.INVALID, command, out).withError(ErrorCode.BAD_ARGUMENTS).detail(
                    (asked == Long.MIN_VALUE ? RespArgumentError.PROTOCOL_VERSION_NOT_INTEGER : RespArgumentError.NO_PROTOCOL)
                        .detail(command));
                return true;
            }
            version = (int)asked;
        }
        int user = -1;
        int name = -1;
        for (int j = 2; j < argc; j++)
        {
            final int more = argc - 1 - j;
            if (is(j, AUTH) && more >= 2)
            {
                user = j + 1;
                j += 2;
            }
            else if (is(j, SETNAME) && more >= 1)
            {
                name = j + 1;
                j++;
            }
            else
            {
                if (part > 0)
                {
                    return false;
                }
                arg(start(Command.INVALID, command, out).withError(ErrorCode.BAD_ARGUMENTS)
                    .detail(RespArgumentError.HELLO_OPTION.detail(command)), j);
                return true;
            }
        }
        AuthGate.Verdict helloVerdict = AuthGate.Verdict.PASS;
        if (user >= 0)
        {
            if (!rightPair(user))
            {
                if (part > 0)
                {
                    return false;
                }
                start(Command.INVALID, command, out).withError(ErrorCode.AUTH_FAILED);
                verdict = auth.required() ? AuthGate.Verdict.FAILED : AuthGate.Verdict.PASS;
                return true;
            }
            helloVerdict = auth.required() ? AuthGate.Verdict.ACCEPTED : AuthGate.Verdict.PASS;
        }
        else if (!auth.authenticated())
        {
            if (part > 0)
            {
                return false;
            }
            start(Command.INVALID, command, out).withError(ErrorCode.AUTH_REQUIRED);
            return true;
        }
        if (name >= 0 && !validName(name))
        {
            if (part > 0)
            {
                return false;
            }
            // As Redis: authenticated all the same, but no name and no switch.
            start(Command.INVALID, command, out).withError(ErrorCode.BAD_NAME).withTopic(argStarts[name],
                argLengths[name]);
            verdict = helloVerdict;
            return true;
        }
        final int helloPart = name >= 0 ? 1 : 0;
        if (part > helloPart)
        {
            return false;
        }
        if (part < helloPart)
        {
            lastOfRequest = false;
            name(out, RespCommand.CLIENT_SETNAME, name, Command.NAME);
            out.detail(command.ordinal()).silent(true);
            return true;
        }
        start(Command.HELLO, command, out).detail(version);
        if (argc >= 2)
        {
            arg(out, 1);
        }
        verdict = helloVerdict;
        return true;
    }

    /** Whether HELLO's AUTH {@code user} {@code user + 1} is the default user with the right password. */
    private boolean rightPair(final int user)
    {
        if (!is(user, DEFAULT_USER, true))
        {
            return false;
        }
        if (!auth.required())
        {
            return true;
        }
        final byte[] password = new byte[argLengths[user + 1]];
        src.getBytes(argStarts[user + 1], password);
        return auth.isRightToken(password);
    }

    private boolean unknown(final int part, final ParsedLine out, final int detail, final boolean subcommand)
    {
        if (part > 0)
        {
            return false;
        }
        out.start(Command.INVALID, src, lineIndex, lineLength).withError(ErrorCode.UNKNOWN_COMMAND).detail(detail);
        if (subcommand)
        {
            arg(out, 1);
        }
        return names(out, 0) != null;
    }

    // ---------------------------------------------------------------- helpers

    private boolean arityOk(final RespCommand command)
    {
        final int arity = command.arity();
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    private ParsedLine start(final Command neutral, final RespCommand command, final ParsedLine out)
    {
        return out.start(neutral, src, lineIndex, lineLength).detail(command.ordinal());
    }

    private ParsedLine arg(final ParsedLine out, final int index)
    {
        return out.withArgument(argStarts[index], argLengths[index]);
    }

    private ParsedLine names(final ParsedLine out, final int from)
    {
        for (int i = from; i < argc; i++)
        {
            out.addName(argStarts[i], argLengths[i]);
        }
        return out;
    }

    /** The index in {@code table} of argument {@code index}, case-insensitively; -1 when not there. */
    private int find(final byte[][] table, final int index)
    {
        for (int i = 0; i < table.length; i++)
        {
            if (is(index, table[i]))
            {
                return i;
            }
        }
        return -1;
    }

    private boolean is(final int index, final byte[] upper)
    {
        return is(index, upper, false);
    }

    /** Whether argument {@code index} is {@code expected} (ASCII, upper case unless exact). */
    private boolean is(final int index, final byte[] expected, final boolean exact)
    {
        if (argLengths[index] != expected.length)
        {
            return false;
        }
        final int from = argStarts[index];
        for (int i = 0; i < expected.length; i++)
        {
            final byte b = src.getByte(from + i);
            final byte c = exact ? b : (b >= 'a' && b <= 'z' ? (byte)(b - 32) : b);
            if (c != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    private static byte[][] names(final String... names)
    {
        final byte[][] result = new byte[names.length][];
        for (int i = 0; i < names.length; i++)
        {
            result[i] = bytes(names[i]);
        }
        return result;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
