package dev.topics.transport.codec;

import java.nio.charset.StandardCharsets;

/**
 * The stable error words of the protocol, each with the human text sent after it.
 *
 * <p>Immutable; safe on any thread. The wire form is {@code ERR <code> <text>\r\n}.
 */
public enum ErrorCode
{
    UNKNOWN_COMMAND("unknown-command", "unknown command, try HELP"),
    MISSING_TOPIC("missing-topic", "this command needs a topic"),
    BAD_TOPIC("bad-topic", "a topic is one word of 1 to max-topic-length bytes with no control characters"),
    BAD_PATTERN("bad-topic", "in a pattern, * and > are whole tokens, > only the last, and no token is empty"),
    WILDCARD_TOPIC("bad-topic", "PUB and GET name one topic: a * or > token is only for SUB and UNSUB"),
    MISSING_NAME("bad-name", "NAME needs a name: NAME <name>"),
    BAD_NAME("bad-name", "a name is one word of 1 to " + Command.MAX_NAME_BYTES + " bytes with no control characters"),
    LINE_TOO_LONG("line-too-long", "line longer than max-line, discarded"),
    SLOW_CONSUMER("slow-consumer", "too much output pending, disconnecting"),
    TOO_MANY_SUBSCRIPTIONS("too-many-subscriptions", "subscription limit of this connection reached"),
    TOO_MANY_TOPICS("too-many-topics", "topic limit of this server reached"),
    SERVER_BUSY("server-busy", "connection limit reached, closing"),
    SHUTTING_DOWN("shutting-down", "server is shutting down"),
    /** As Redis words it over {@code maxmemory}; small commands are still served. */
    OUT_OF_MEMORY("out-of-memory", "command not allowed when used memory > max-memory"),
    AUTH_REQUIRED("auth-required", "send AUTH <token> first"),
    AUTH_FAILED("auth-failed", "wrong token"),
    AUTH_NOT_ENABLED("auth-not-enabled", "this server has no token; AUTH is not needed"),
    /** A RESP2 connection with subscriptions sent a command it may not send until it has none. */
    SUBSCRIBED_MODE("subscribed-mode", "only SUB, UNSUB, PING, QUIT and RESET while subscribed"),
    /** Input that cannot be framed (RESP): answered, then the connection is closed, as Redis does. */
    PROTOCOL_ERROR("protocol-error", "malformed request, closing"),
    /** A command with arguments it does not take; the protocol's parser words the details. */
    BAD_ARGUMENTS("bad-arguments", "wrong arguments for this command"),
    MESSAGE_TOO_LARGE("too-large", "message longer than a cluster link carries (an eighth of --cluster-term-length)"),
    INTERNAL("internal", "internal error, command not applied");

    private final String word;
    private final String text;
    private final byte[] line;

    ErrorCode(final String word, final String text)
    {
        this.word = word;
        this.text = text;
        this.line = ("ERR " + word + " " + text + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The stable code word, for example {@code bad-topic}. */
    public String word()
    {
        return word;
    }

    /** The human text sent after {@link #word()}, for example {@code server is shutting down}. */
    public String text()
    {
        return text;
    }

    /** The whole reply line including its CRLF; callers must not modify the returned array. */
    byte[] line()
    {
        return line;
    }
}
