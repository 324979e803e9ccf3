package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;

/**
 * Parses one framed line (without its line ending) into a {@link ParsedLine}, in place: no copy,
 * no {@code String}, no allocation. An invalid line is a value ({@link Command#INVALID}), never an
 * exception.
 *
 * <p>Stateless apart from its limit; safe on any thread.
 *
 * <p>Rules (see docs/protocol.md): leading and repeated spaces before the topic are skipped; the
 * verb is case-insensitive; the topic is the next word; for PUB the message is every byte after
 * the single space that follows the topic; for PING the token is every byte after the single space
 * that follows the verb; for AUTH the token is every byte after the spaces that follow the verb,
 * without trailing spaces; NAME's name is one word with a topic's byte rules, at most
 * {@link Command#MAX_NAME_BYTES}, and lies where a topic would.
 */
public final class LineParser
{
    private static final byte SPACE = ' ';

    private final int maxTopicBytes;

    public LineParser(final int maxTopicBytes)
    {
        this.maxTopicBytes = maxTopicBytes;
    }

    /**
     * Parses {@code line} between its reader and writer index.
     *
     * @return false when the line is empty or blank and is to be ignored.
     */
    public boolean parse(final ByteBuf line, final ParsedLine out)
    {
        return parse(line, line.readerIndex(), line.writerIndex(), out);
    }

    /**
     * Parses the line at {@code line[start, end)} in place, without its line ending; the buffer
     * may hold more lines around it.
     *
     * @return false when the line is empty or blank and is to be ignored.
     */
    public boolean parse(final ByteBuf line, final int start, final int end, final ParsedLine out)
    {
        final int verbStart = skipSpaces(line, start, end);
        if (verbStart == end)
        {
            return false;
        }
        final int verbEnd = wordEnd(line, verbStart, end);
        final Command command = verb(line, verbStart, verbEnd - verbStart);
        out.set(command, line, start, end - start);
        switch (command)
        {
            case SUB:
            case UNSUB:
                parseTopicOnly(line, verbEnd, end, out);
                classifySubscription(line, out);
                break;
            case GET:
                parseTopicOnly(line, verbEnd, end, out);
                refusePattern(line, out);
                break;
            case NAME:
                final int nameEnd =
                    parseWord(line, verbEnd, end, Command.MAX_NAME_BYTES, ErrorCode.MISSING_NAME, ErrorCode.BAD_NAME, out);
                requireLastWord(line, nameEnd, end, ErrorCode.BAD_NAME, out);
                break;
            case PUB:
                parsePublish(line, verbEnd, end, out);
                refusePattern(line, out);
                break;
            case PING:
                if (verbEnd < end)
                {
                    out.argument(verbEnd + 1, end - verbEnd - 1);
                }
                break;
            case AUTH:
                parseToken(line, verbEnd, end, out);
                break;
            case INVALID:
                out.invalid(ErrorCode.UNKNOWN_COMMAND);
                break;
            default:
                break;
        }
        return true;
    }

    private void parseTopicOnly(final ByteBuf line, final int from, final int end, final ParsedLine out)
    {
        requireLastWord(line, parseTopic(line, from, end, out), end, ErrorCode.BAD_TOPIC, out);
    }

    /** Marks {@code out} {@code bad} when more than spaces follow the word ending at {@code wordEnd} (-1: invalid already). */
    private static void requireLastWord(
        final ByteBuf line, final int wordEnd, final int end, final ErrorCode bad, final ParsedLine out)
    {
        if (wordEnd >= 0 && skipSpaces(line, wordEnd, end) != end)
        {
            out.invalid(bad);
        }
    }

    private void parsePublish(final ByteBuf line, final int from, final int end, final ParsedLine out)
    {
        final int topicEnd = parseTopic(line, from, end, out);
        if (topicEnd >= 0)
        {
            // The message starts after exactly one space; an absent message is an empty one.
            final int messageStart = Math.min(topicEnd + 1, end);
            out.argument(messageStart, end - messageStart);
        }
    }

    /** A SUB or UNSUB topic with wildcard tokens is a pattern, if it keeps the pattern rules. */
    private static void classifySubscription(final ByteBuf line, final ParsedLine out)
    {
        if (out.command() == Command.INVALID)
        {
            return;
        }
        final int from = out.topicIndex();
        switch (TokenPatterns.classify(line, from, from + out.topicLength()))
        {
            case PATTERN -> out.match(TopicMatch.TOKEN_PATTERN);
            case INVALID -> out.invalid(ErrorCode.BAD_PATTERN);
            default -> { }
        }
    }

    /** PUB and GET name one concrete topic: a wildcard token there is an error, not a pattern. */
    private static void refusePattern(final ByteBuf line, final ParsedLine out)
    {
        if (out.command() == Command.INVALID)
        {
            return;
        }
        final int from = out.topicIndex();
        if (TokenPatterns.classify(line, from, from + out.topicLength()) != TokenPatterns.Shape.EXACT)
        {
            out.invalid(ErrorCode.WILDCARD_TOPIC);
        }
    }

    /** Leaves the argument absent (-1) when there is no token: the caller decides what that means. */
    private static void parseToken(final ByteBuf line, final int from, final int end, final ParsedLine out)
    {
        final int tokenStart = skipSpaces(line, from, end);
        int tokenEnd = end;
        while (tokenEnd > tokenStart && line.getByte(tokenEnd - 1) == SPACE)
        {
            tokenEnd--;
        }
        if (tokenEnd > tokenStart)
        {
            out.argument(tokenStart, tokenEnd - tokenStart);
        }
    }

    /** Returns the index just past the topic, or -1 after marking {@code out} invalid. */
    private int parseTopic(final ByteBuf line, final int from, final int end, final ParsedLine out)
    {
        return parseWord(line, from, end, maxTopicBytes, ErrorCode.MISSING_TOPIC, ErrorCode.BAD_TOPIC, out);
    }

    /**
     * Finds the next word (1 to {@code maxBytes} bytes, no control byte) and records it as the
     * line's topic; returns the index just past it, or -1 after marking {@code out} invalid.
     */
    private static int parseWord(
        final ByteBuf line,
        final int from,
        final int end,
        final int maxBytes,
        final ErrorCode missing,
        final ErrorCode bad,
        final ParsedLine out)
    {
        final int wordStart = skipSpaces(line, from, end);
        if (wordStart == end)
        {
            out.invalid(missing);
            return -1;
        }
        final int wordEnd = wordEnd(line, wordStart, end);
        final int length = wordEnd - wordStart;
        if (length > maxBytes || hasControlByte(line, wordStart, wordEnd))
        {
            out.invalid(bad);
            return -1;
        }
        out.topic(wordStart, length);
        return wordEnd;
    }

    private static boolean hasControlByte(final ByteBuf line, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final byte b = line.getByte(i);
            if ((b >= 0 && b < SPACE) || b == 0x7F)
            {
                return true;
            }
        }
        return false;
    }

    private static int skipSpaces(final ByteBuf line, final int from, final int end)
    {
        int i = from;
        while (i < end && line.getByte(i) == SPACE)
        {
            i++;
        }
        return i;
    }

    private static int wordEnd(final ByteBuf line, final int from, final int end)
    {
        int i = from;
        while (i < end && line.getByte(i) != SPACE)
        {
            i++;
        }
        return i;
    }

    private static Command verb(final ByteBuf line, final int start, final int length)
    {
        switch (length)
        {
            case 3:
                if (matches(line, start, "SUB")) return Command.SUB;
                if (matches(line, start, "PUB")) return Command.PUB;
                if (matches(line, start, "GET")) return Command.GET;
                break;
            case 4:
                if (matches(line, start, "PING")) return Command.PING;
                if (matches(line, start, "HELP")) return Command.HELP;
                if (matches(line, start, "QUIT")) return Command.QUIT;
                if (matches(line, start, "AUTH")) return Command.AUTH;
                if (matches(line, start, "NAME")) return Command.NAME;
                break;
            case 5:
                if (matches(line, start, "UNSUB")) return Command.UNSUB;
                if (matches(line, start, "STATS")) return Command.STATS;
                break;
            case 7:
                if (matches(line, start, "CLIENTS")) return Command.CLIENTS;
                if (matches(line, start, "MEMBERS")) return Command.MEMBERS;
                break;
            default:
                break;
        }
        return Command.INVALID;
    }

    /** Case-insensitive match of an upper-case ASCII verb. */
    private static boolean matches(final ByteBuf line, final int start, final String upperVerb)
    {
        for (int i = 0; i < upperVerb.length(); i++)
        {
            final int b = line.getByte(start + i);
            final int upper = (b >= 'a' && b <= 'z') ? b - ('a' - 'A') : b;
            if (upper != upperVerb.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
