package dev.topics.transport.resp;

import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.ParsedLine;
import dev.topics.transport.codec.Replies;
import dev.topics.transport.codec.Reply;
import dev.topics.transport.codec.ReplyEncoder;
import dev.topics.transport.codec.TopicMatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.Locale;

/**
 * RESP2 and RESP3 replies, errors and pushes, byte for byte as Redis 7.0 writes them for the same
 * command. Deliveries travel as the text protocol's canonical frame ({@code UPDATED <topic>
 * <message>\r\n}) and are re-encoded per subscriber as Redis' {@code message} or {@code pmessage}
 * push, straight from the frame's bytes.
 *
 * <p>This server calls itself {@value #SERVER} version {@value #VERSION} in HELLO and INFO: it is a
 * Redis-compatible pub/sub server, and clients (Lettuce, Jedis, redis-py) switch features on the
 * version they are told, so it names the Redis whose replies it reproduces.
 *
 * <p>Error wording, as the front end and the engine leave it in the refused command:
 * <ul>
 * <li>an {@link Command#INVALID} command whose text quotes the request (unknown command or
 *     subcommand, an option of HELLO) has it rendered by {@link #ingressFrame} as its payload, the
 *     whole error line, written as it is by {@link #error};</li>
 * <li>{@link ErrorCode#BAD_ARGUMENTS}: worded by {@link RespArgumentError#of} of the detail (low
 *     byte: the {@link RespCommand}, next byte: the wording; plain ordinal: wrong number of
 *     arguments); a refused {@link Command#HELLO} (detail: the version) is Redis' {@code NOPROTO};</li>
 * <li>{@link ErrorCode#SUBSCRIBED_MODE}: Redis' "Can't execute" naming the {@link RespCommand} of
 *     the detail's low byte ({@code hello} for HELLO);</li>
 * <li>{@link ErrorCode#PROTOCOL_ERROR}: {@link RespProtocolError#text} of the detail;</li>
 * <li>the authentication, memory and connection-limit errors as Redis words them; the codes Redis
 *     has no counterpart for as {@code -ERR <word> <text>} of the {@link ErrorCode}.</li>
 * </ul>
 *
 * <p>Stateless; safe on any thread. Each method allocates one buffer of the exact size (or writes
 * into the one it is given); deliveries allocate nothing and make no {@code String}.
 */
public final class RespEncoder implements ReplyEncoder
{
    /** The server name HELLO reports. */
    public static final String SERVER = "redis";
    /** The Redis version HELLO and INFO report: the one whose replies this encoder reproduces. */
    public static final String VERSION = "7.0.15";

    public static final RespEncoder RESP2 = new RespEncoder(2);
    public static final RespEncoder RESP3 = new RespEncoder(3);

    /** {@code UPDATED }: where the topic starts in a canonical frame. */
    private static final int FRAME_TOPIC = 8;
    private static final int LIMIT = 128;
    private static final byte[] CRLF = RespWriter.CRLF;
    private static final byte[] OK = RespWriter.bytes("+OK\r\n");
    private static final byte[] PONG = RespWriter.bytes("+PONG\r\n");
    private static final byte[] RESET = RespWriter.bytes("+RESET\r\n");
    private static final byte[] SUBSCRIBED_PONG = RespWriter.bytes("*2\r\n$4\r\npong\r\n");
    private static final byte[] EMPTY_BULK = RespWriter.bytes("$0\r\n\r\n");
    private static final byte[] UNKNOWN_COMMAND = RespWriter.bytes("-ERR unknown command '");
    private static final byte[] WITH_ARGS = RespWriter.bytes("', with args beginning with: ");
    private static final byte[] UNKNOWN_SUBCOMMAND = RespWriter.bytes("-ERR unknown subcommand '");
    /** Per {@link RespCommand}: {@code '. Try <CONTAINER> HELP.\r\n} after an unknown subcommand. */
    private static final byte[][] TRY_HELP = new byte[RespCommand.values().length][];
    /** Per {@link RespCommand} and {@link RespArgumentError}: the BAD_ARGUMENTS line. */
    private static final byte[][][] ARGUMENT_ERRORS = new byte[RespCommand.values().length][][];
    /** Per {@link RespCommand}: the SUBSCRIBED_MODE line. */
    private static final byte[][] SUBSCRIBED_MODE = new byte[RespCommand.values().length][];
    /** Per {@link ErrorCode}: the line when nothing more specific applies. */
    private static final byte[][] ERRORS = new byte[ErrorCode.values().length][];
    private static final byte[] BAD_NAME = line("ERR Client names cannot contain spaces, newlines or special characters.");
    private static final byte[] HELLO_NOAUTH = line("NOAUTH HELLO must be called with the client already authenticated, "
        + "otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
        + "protocol version at the same time");
    private static final byte[] NO_PROTOCOL = line(RespArgumentError.NO_PROTOCOL.text(""));
    private static final byte[] WRONG_NUMBER = line("ERR wrong number of arguments");
    private static final byte[] PROTOCOL_ERROR = line("ERR Protocol error");

    static
    {
        for (final RespCommand command : RespCommand.values())
        {
            final String name = command.fullName();
            final int bar = name.indexOf('|');
            final String container = (bar < 0 ? name : name.substring(0, bar)).toUpperCase(Locale.ROOT);
            TRY_HELP[command.ordinal()] = RespWriter.bytes("'. Try " + container + " HELP.\r\n");
            final RespArgumentError[] wordings = RespArgumentError.values();
            ARGUMENT_ERRORS[command.ordinal()] = new byte[wordings.length][];
            for (final RespArgumentError wording : wordings)
            {
                ARGUMENT_ERRORS[command.ordinal()][wording.ordinal()] = line(wording.text(
                    wording == RespArgumentError.CONTAINER_ALONE ? container.toLowerCase(Locale.ROOT) : name));
            }
            SUBSCRIBED_MODE[command.ordinal()] = line("ERR Can't execute '" + name
                + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
        }
        for (final ErrorCode code : ErrorCode.values())
        {
            ERRORS[code.ordinal()] = switch (code)
            {
                case UNKNOWN_COMMAND -> line("ERR unknown command");
                case AUTH_REQUIRED -> line("NOAUTH Authentication required.");
                case AUTH_FAILED -> line("WRONGPASS invalid username-password pair or user is disabled.");
                case AUTH_NOT_ENABLED -> line("ERR AUTH <password> called without any password configured for the "
                    + "default user. Are you sure your configuration is correct?");
                case OUT_OF_MEMORY -> line("OOM command not allowed when used memory > 'maxmemory'.");
                case SERVER_BUSY -> line("ERR max number of clients reached");
                default -> line("ERR " + code.word() + " " + code.text());
            };
        }
    }

    private final int version;
    private final byte[] nil;
    private final byte[] message;
    private final byte[] pmessage;
    /** Per kind (subscribe, psubscribe, unsubscribe, punsubscribe): the header and kind of the reply. */
    private final byte[][] subscriptions;
    private final byte[] helloHead;
    private final byte[] helloTail;
    private final byte[] commandDocs;

    private RespEncoder(final int version)
    {
        this.version = version;
        final boolean resp3 = version >= 3;
        this.nil = RespWriter.bytes(resp3 ? "_\r\n" : "$-1\r\n");
        final String push = resp3 ? ">" : "*";
        this.message = RespWriter.bytes(push + "3\r\n$7\r\nmessage\r\n");
        this.pmessage = RespWriter.bytes(push + "4\r\n$8\r\npmessage\r\n");
        final String[] kinds = {"subscribe", "psubscribe", "unsubscribe", "punsubscribe"};
        this.subscriptions = new byte[kinds.length][];
        for (int i = 0; i < kinds.length; i++)
        {
            subscriptions[i] = RespWriter.bytes(push + "3\r\n$" + kinds[i].length() + "\r\n" + kinds[i] + "\r\n");
        }
        this.helloHead = new RespBuilder(version).map(7).bulk("server").bulk(SERVER).bulk("version").bulk(VERSION)
            .bulk("proto").integer(version).bulk("id").toByteArray();
        this.helloTail = new RespBuilder(version).bulk("mode").bulk("standalone").bulk("role").bulk("master")
            .bulk("modules").array(0).toByteArray();
        this.commandDocs = new RespBuilder(version).map(0).toByteArray();
    }

    /** 2 or 3. */
    public int version()
    {
        return version;
    }

    /**
     * PING's and ECHO's text (a copy of the argument; null for a PING without one), or the whole
     * error line of an {@link Command#INVALID} command whose wording quotes the request:
     * <ul>
     * <li>{@link ErrorCode#UNKNOWN_COMMAND} with names (name 0 the command, the others its
     *     arguments): Redis' "unknown command '...', with args beginning with: ...";</li>
     * <li>{@link ErrorCode#UNKNOWN_COMMAND} without names, with the subcommand as argument and the
     *     detail a {@link RespCommand} of the container (its first, such as {@code CLIENT_ID}):
     *     "unknown subcommand '...'. Try CLIENT HELP.";</li>
     * <li>{@link ErrorCode#BAD_ARGUMENTS} whose {@link RespArgumentError} quotes the argument.</li>
     * </ul>
     * Null for every other command. The same bytes in RESP2 and RESP3.
     */
    @Override
    public ByteBuf ingressFrame(final ByteBufAllocator alloc, final ParsedLine line)
    {
        return switch (line.command())
        {
            case PING -> argument(alloc, line);
            case RAW -> line.detail() == RespCommand.ECHO.ordinal() ? argument(alloc, line) : null;
            case INVALID -> invalid(alloc, line);
            default -> null;
        };
    }

    @Override
    public int deliveryLength(final ParsedLine pub)
    {
        return Replies.TEXT.deliveryLength(pub);
    }

    @Override
    public void writeDelivery(final ByteBuf out, final ParsedLine pub)
    {
        Replies.TEXT.writeDelivery(out, pub);
    }

    @Override
    public boolean sendsCanonicalFrame()
    {
        return false;
    }

    @Override
    public int pushLength(final int length, final int topicLength, final byte[] pattern)
    {
        final int messageLength = length - FRAME_TOPIC - topicLength - 1 - CRLF.length;
        final int common = RespWriter.bulkLength(topicLength) + RespWriter.bulkLength(messageLength);
        return pattern == null
            ? message.length + common
            : pmessage.length + RespWriter.bulkLength(pattern.length) + common;
    }

    /** {@code message} (or {@code pmessage} with the pattern), channel and message, from the canonical frame. */
    @Override
    public void writePush(
        final ByteBuf out, final ByteBuf frame, final int offset, final int length, final int topicLength,
        final byte[] pattern)
    {
        final int topicIndex = offset + FRAME_TOPIC;
        final int messageIndex = topicIndex + topicLength + 1;
        final int messageLength = offset + length - CRLF.length - messageIndex;
        if (pattern == null)
        {
            out.writeBytes(message);
        }
        else
        {
            RespWriter.writeBulk(out.writeBytes(pmessage), pattern);
        }
        RespWriter.writeBulk(out, frame, topicIndex, topicLength);
        RespWriter.writeBulk(out, frame, messageIndex, messageLength);
    }

    @Override
    public boolean isPush(final Command command)
    {
        // Redis 7.0 sends (un)subscribe confirmations through CLIENT REPLY OFF in RESP2 too.
        return command == Command.SUB || command == Command.UNSUB || command == Command.UNSUB_ALL;
    }

    /** PUBLISH's count, one per publish: written straight into the publisher's write batch. */
    @Override
    public int inlineReplyLength(final Reply reply)
    {
        return reply.command() == Command.PUB ? RespWriter.headerLength(reply.count()) : -1;
    }

    @Override
    public void writeInlineReply(final ByteBuf out, final Reply reply)
    {
        RespWriter.writeHeader(out, ':', reply.count());
    }

    @Override
    public boolean acknowledgesPublish()
    {
        return true;
    }

    @Override
    public boolean restrictsWhileSubscribed()
    {
        return version == 2;
    }

    @Override
    public boolean deliversPerSubscription()
    {
        return true;
    }

    @Override
    public ReplyEncoder forVersion(final int requested)
    {
        return switch (requested)
        {
            case 2 -> RESP2;
            case 3 -> RESP3;
            default -> null;
        };
    }

    @Override
    public ByteBuf reply(final ByteBufAllocator alloc, final Reply reply)
    {
        final ByteBuf payload = reply.takePayload();
        try
        {
            return encode(alloc, reply, payload);
        }
        finally
        {
            if (payload != null)
            {
                payload.release();
            }
        }
    }

    private ByteBuf encode(final ByteBufAllocator alloc, final Reply reply, final ByteBuf payload)
    {
        return switch (reply.command())
        {
            case SUB, UNSUB, UNSUB_ALL -> subscription(alloc, reply);
            case PUB, NUMPAT -> integer(alloc, reply.count());
            case GET -> payload == null ? copy(alloc, nil) : value(alloc, payload, (int)reply.count());
            case PING -> pong(alloc, payload, reply.count());
            case AUTH, NAME, QUIT, FLUSH -> copy(alloc, OK);
            case RESET -> copy(alloc, RESET);
            case GETNAME -> reply.topic() == null ? copy(alloc, nil) : bulk(alloc, reply.topic());
            case CLIENTS -> copy(alloc, RespText.clientList(version, reply.text()));
            case STATS -> copy(alloc, RespText.info(version, reply.text()));
            case CHANNELS -> channels(alloc, reply.names());
            case NUMSUB -> numsub(alloc, reply.names(), reply.numbers());
            case HELLO -> hello(alloc, reply.sessionId());
            case RAW -> raw(alloc, reply, payload);
            default -> throw new IllegalArgumentException("no RESP reply to " + reply.command());
        };
    }

    /** RAW's reply, by the {@link RespCommand} in its detail. */
    private ByteBuf raw(final ByteBufAllocator alloc, final Reply reply, final ByteBuf payload)
    {
        final RespCommand command = command(reply.detail());
        if (command == null)
        {
            throw new IllegalArgumentException("no RESP command " + reply.detail());
        }
        return switch (command)
        {
            case ECHO -> payload == null ? copy(alloc, EMPTY_BULK) : bulk(alloc, payload);
            case CLIENT_ID -> integer(alloc, reply.sessionId());
            case CLIENT_SETINFO, CLIENT_REPLY, SELECT, FUNCTION_FLUSH -> copy(alloc, OK);
            case COMMAND -> copy(alloc, RespCommandTable.reply(version));
            case COMMAND_DOCS -> copy(alloc, commandDocs);
            case COMMAND_COUNT -> integer(alloc, RespCommandTable.count());
            default -> throw new IllegalArgumentException("no RESP reply to RAW " + command);
        };
    }

    @Override
    public ByteBuf error(final ByteBufAllocator alloc, final ErrorCode code, final Reply cause)
    {
        final ByteBuf payload = cause == null ? null : cause.takePayload();
        if (payload != null)
        {
            if (cause.command() == Command.INVALID)
            {
                return payload; // the whole error line, rendered as the request was read
            }
            payload.release(); // the refused command's own (PING's or ECHO's text)
        }
        return copy(alloc, errorLine(code, cause));
    }

    private static byte[] errorLine(final ErrorCode code, final Reply cause)
    {
        if (cause == null)
        {
            return switch (code)
            {
                case BAD_ARGUMENTS -> WRONG_NUMBER;
                case PROTOCOL_ERROR -> PROTOCOL_ERROR;
                default -> ERRORS[code.ordinal()];
            };
        }
        final boolean hello = cause.command() == Command.HELLO;
        final RespCommand command = hello ? RespCommand.HELLO : command(cause.detail());
        return switch (code)
        {
            case BAD_ARGUMENTS -> hello ? NO_PROTOCOL
                : command == null ? WRONG_NUMBER
                : ARGUMENT_ERRORS[command.ordinal()][RespArgumentError.of(cause.detail()).ordinal()];
            case SUBSCRIBED_MODE -> command == null ? ERRORS[code.ordinal()] : SUBSCRIBED_MODE[command.ordinal()];
            // The front end refuses an unauthenticated HELLO as INVALID with HELLO's detail.
            case AUTH_REQUIRED -> command == RespCommand.HELLO ? HELLO_NOAUTH : ERRORS[code.ordinal()];
            case PROTOCOL_ERROR -> protocolError(cause.detail());
            case BAD_NAME -> BAD_NAME;
            default -> ERRORS[code.ordinal()];
        };
    }

    private static byte[] protocolError(final int detail)
    {
        return (detail & 0xFF) < RespProtocolError.values().length ? line("ERR " + RespProtocolError.text(detail)) : PROTOCOL_ERROR;
    }

    /** The {@link RespCommand} in the low byte of {@code detail}, or null when there is none. */
    private static RespCommand command(final int detail)
    {
        final int ordinal = detail & 0xFF;
        return detail >= 0 && ordinal < RespCommand.values().length ? RespCommand.of(ordinal) : null;
    }

    /** {@code subscribe} and the others: kind, name (nil when none), the connection's subscription count. */
    private ByteBuf subscription(final ByteBufAllocator alloc, final Reply reply)
    {
        final int kind = (reply.command() == Command.SUB ? 0 : 2) + (reply.match() == TopicMatch.EXACT ? 0 : 1);
        final byte[] head = subscriptions[kind];
        final byte[] topic = reply.topic();
        final long count = reply.count();
        final int length = head.length + (topic == null ? nil.length : RespWriter.bulkLength(topic.length))
            + RespWriter.headerLength(count);
        final ByteBuf out = alloc.buffer(length).writeBytes(head);
        if (topic == null)
        {
            out.writeBytes(nil);
        }
        else
        {
            RespWriter.writeBulk(out, topic);
        }
        return RespWriter.writeHeader(out, ':', count);
    }

    /** PING: {@code +PONG} or its text; RESP2 with subscriptions: {@code pong} and the text (empty when none). */
    private ByteBuf pong(final ByteBufAllocator alloc, final ByteBuf text, final long subscriptions)
    {
        if (version == 2 && subscriptions > 0)
        {
            final int textLength = text == null ? 0 : text.readableBytes();
            final ByteBuf out = alloc.buffer(SUBSCRIBED_PONG.length + RespWriter.bulkLength(textLength)).writeBytes(SUBSCRIBED_PONG);
            return text == null ? out.writeBytes(EMPTY_BULK) : RespWriter.writeBulk(out, text, text.readerIndex(), textLength);
        }
        return text == null ? copy(alloc, PONG) : bulk(alloc, text);
    }

    /** The message of a topic's latest canonical frame, as a bulk string. */
    private static ByteBuf value(final ByteBufAllocator alloc, final ByteBuf frame, final int topicLength)
    {
        final int start = frame.readerIndex() + FRAME_TOPIC + topicLength + 1;
        final int length = frame.writerIndex() - CRLF.length - start;
        return RespWriter.writeBulk(alloc.buffer(RespWriter.bulkLength(length)), frame, start, length);
    }

    private ByteBuf channels(final ByteBufAllocator alloc, final byte[][] names)
    {
        final byte[][] all = names == null ? new byte[0][] : names;
        int length = RespWriter.headerLength(all.length);
        for (final byte[] name : all)
        {
            length += RespWriter.bulkLength(name.length);
        }
        final ByteBuf out = RespWriter.writeHeader(alloc.buffer(length), '*', all.length);
        for (final byte[] name : all)
        {
            RespWriter.writeBulk(out, name);
        }
        return out;
    }

    /** Redis 7.0 answers PUBSUB NUMSUB with a flat array of name and count in RESP3 too. */
    private static ByteBuf numsub(final ByteBufAllocator alloc, final byte[][] names, final long[] counts)
    {
        final int n = names == null ? 0 : names.length;
        int length = RespWriter.headerLength(2L * n);
        for (int i = 0; i < n; i++)
        {
            length += RespWriter.bulkLength(names[i].length) + RespWriter.headerLength(counts[i]);
        }
        final ByteBuf out = RespWriter.writeHeader(alloc.buffer(length), '*', 2L * n);
        for (int i = 0; i < n; i++)
        {
            RespWriter.writeHeader(RespWriter.writeBulk(out, names[i]), ':', counts[i]);
        }
        return out;
    }

    private ByteBuf hello(final ByteBufAllocator alloc, final long sessionId)
    {
        final int length = helloHead.length + RespWriter.headerLength(sessionId) + helloTail.length;
        final ByteBuf out = alloc.buffer(length).writeBytes(helloHead);
        return RespWriter.writeHeader(out, ':', sessionId).writeBytes(helloTail);
    }

    private static ByteBuf integer(final ByteBufAllocator alloc, final long value)
    {
        return RespWriter.writeHeader(alloc.buffer(RespWriter.headerLength(value)), ':', value);
    }

    private static ByteBuf bulk(final ByteBufAllocator alloc, final byte[] bytes)
    {
        return RespWriter.writeBulk(alloc.buffer(RespWriter.bulkLength(bytes.length)), bytes);
    }

    private static ByteBuf bulk(final ByteBufAllocator alloc, final ByteBuf bytes)
    {
        final int length = bytes.readableBytes();
        return RespWriter.writeBulk(alloc.buffer(RespWriter.bulkLength(length)), bytes, bytes.readerIndex(), length);
    }

    private static ByteBuf copy(final ByteBufAllocator alloc, final byte[] bytes)
    {
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    private static byte[] line(final String text)
    {
        return RespWriter.bytes("-" + text + "\r\n");
    }

    /** A copy of the line's argument (PING's or ECHO's text), or null when it has none. */
    private static ByteBuf argument(final ByteBufAllocator alloc, final ParsedLine line)
    {
        final int length = line.argumentLength();
        return length < 0 ? null : alloc.buffer(length).writeBytes(line.line(), line.argumentIndex(), length);
    }

    /** The error lines that quote the request, rendered while its bytes are at hand; null for the others. */
    private static ByteBuf invalid(final ByteBufAllocator alloc, final ParsedLine line)
    {
        if (line.line() == null)
        {
            return null;
        }
        if (line.error() == ErrorCode.UNKNOWN_COMMAND)
        {
            // A known container's detail and the subcommand as argument: an unknown subcommand;
            // else the names (the command first): an unknown command.
            final RespCommand container = command(line.detail());
            if (container != null && line.argumentLength() >= 0)
            {
                return unknownSubcommand(alloc, line, container);
            }
            return line.nameCount() > 0 ? unknownCommand(alloc, line) : null;
        }
        if (line.error() == ErrorCode.BAD_ARGUMENTS && line.argumentLength() >= 0
            && RespArgumentError.of(line.detail()).quotesArgument())
        {
            return quotedArgument(alloc, line);
        }
        return null;
    }

    /**
     * Redis' {@code unknown command '<name>', with args beginning with: '<a1>' ... } (processCommand):
     * the name up to 128 bytes, then arguments while the list is shorter than 128 bytes, each cut to
     * what is left of the 128; every string ends at a NUL byte (C's {@code %s}), and CR or LF becomes
     * a space (rejectCommand).
     */
    private static ByteBuf unknownCommand(final ByteBufAllocator alloc, final ParsedLine line)
    {
        final ByteBuf in = line.line();
        final int nameLength = cString(in, line.nameIndex(0), line.nameLength(0), LIMIT);
        int length = UNKNOWN_COMMAND.length + nameLength + WITH_ARGS.length + CRLF.length;
        int args = 0;
        for (int i = 1; i < line.nameCount() && args < LIMIT; i++)
        {
            final int piece = cString(in, line.nameIndex(i), line.nameLength(i), LIMIT - args) + 3;
            args += piece;
        }
        length += args;
        final ByteBuf out = alloc.buffer(length).writeBytes(UNKNOWN_COMMAND);
        writeText(out, in, line.nameIndex(0), nameLength).writeBytes(WITH_ARGS);
        args = 0;
        for (int i = 1; i < line.nameCount() && args < LIMIT; i++)
        {
            final int piece = cString(in, line.nameIndex(i), line.nameLength(i), LIMIT - args);
            writeText(out.writeByte('\''), in, line.nameIndex(i), piece).writeByte('\'').writeByte(' ');
            args += piece + 3;
        }
        return out.writeBytes(CRLF);
    }

    /** Redis' {@code unknown subcommand '<sub>'. Try <CONTAINER> HELP.}, the subcommand being the line's argument. */
    private static ByteBuf unknownSubcommand(final ByteBufAllocator alloc, final ParsedLine line, final RespCommand container)
    {
        final ByteBuf in = line.line();
        final int subLength = cString(in, line.argumentIndex(), line.argumentLength(), LIMIT);
        final byte[] tail = TRY_HELP[container.ordinal()];
        final ByteBuf out = alloc.buffer(UNKNOWN_SUBCOMMAND.length + subLength + tail.length).writeBytes(UNKNOWN_SUBCOMMAND);
        return writeText(out, in, line.argumentIndex(), subLength).writeBytes(tail);
    }

    /** A {@link RespArgumentError} that quotes the line's argument (Redis' {@code %s}: up to a NUL byte). */
    private static ByteBuf quotedArgument(final ByteBufAllocator alloc, final ParsedLine line)
    {
        final String text = RespArgumentError.of(line.detail()).text("\u0000");
        final int quote = text.indexOf('\u0000');
        final byte[] before = RespWriter.bytes("-" + text.substring(0, quote));
        final byte[] after = RespWriter.bytes(text.substring(quote + 1) + "\r\n");
        final ByteBuf in = line.line();
        final int argumentLength = cString(in, line.argumentIndex(), line.argumentLength(), Integer.MAX_VALUE);
        final ByteBuf out = alloc.buffer(before.length + argumentLength + after.length).writeBytes(before);
        return writeText(out, in, line.argumentIndex(), argumentLength).writeBytes(after);
    }

    /** Bytes of {@code in[index, index + length)} that C's {@code %.*s} prints with precision {@code max}. */
    private static int cString(final ByteBuf in, final int index, final int length, final int max)
    {
        final int limit = Math.min(length, max);
        final int nul = in.indexOf(index, index + limit, (byte)0);
        return nul < 0 ? limit : nul - index;
    }

    /** Copies error text, each CR or LF as a space, as Redis keeps an error on one line. */
    private static ByteBuf writeText(final ByteBuf out, final ByteBuf in, final int index, final int length)
    {
        for (int i = index; i < index + length; i++)
        {
            final byte b = in.getByte(i);
            out.writeByte(b == '\r' || b == '\n' ? ' ' : b);
        }
        return out;
    }
}
