package dev.topics.transport.resp;

import dev.topics.transport.codec.Command;

/**
 * The Redis commands the RESP listener knows, each with the name Redis prints for it in errors
 * ({@code fullname}: {@code client|setname} for a subcommand), its arity in Redis' convention
 * (positive: exactly that many arguments counting the command itself; negative: at least that
 * many), and the neutral {@link Command} it becomes.
 *
 * <p>Every neutral command the RESP front end makes carries its {@code RespCommand}'s ordinal as
 * {@code ParsedLine.detail()} (except a protocol error, whose detail is a
 * {@link RespProtocolError} code), so the encoder knows which Redis command it answers: RAW's
 * reply, and the name in "Can't execute '...'" when a RESP2 connection with subscriptions sends
 * it. Shared by {@link RespFrontEnd} (in) and {@link RespEncoder} (out).
 *
 * <p>Immutable; safe on any thread.
 */
public enum RespCommand
{
    /** SUBSCRIBE ch [ch ...]: one SUB (EXACT) per channel. */
    SUBSCRIBE("subscribe", -2, Command.SUB),
    /** UNSUBSCRIBE [ch ...]: one UNSUB (EXACT) per channel; none: UNSUB_ALL (EXACT). */
    UNSUBSCRIBE("unsubscribe", -1, Command.UNSUB),
    /** PSUBSCRIBE p [p ...]: one SUB (GLOB_PATTERN) per pattern. */
    PSUBSCRIBE("psubscribe", -2, Command.SUB),
    /** PUNSUBSCRIBE [p ...]: one UNSUB (GLOB_PATTERN) per pattern; none: UNSUB_ALL (GLOB_PATTERN). */
    PUNSUBSCRIBE("punsubscribe", -1, Command.UNSUB),
    /** PUBLISH ch msg: PUB, answered with the count of receiving subscriptions. */
    PUBLISH("publish", 3, Command.PUB),
    /** PUBSUB CHANNELS [pattern]: CHANNELS (topic = pattern, GLOB_PATTERN; none: EXACT, length 0). */
    PUBSUB_CHANNELS("pubsub|channels", -2, Command.CHANNELS),
    /** PUBSUB NUMSUB [ch ...]: NUMSUB with the channels as names. */
    PUBSUB_NUMSUB("pubsub|numsub", -2, Command.NUMSUB),
    /** PUBSUB NUMPAT: NUMPAT. */
    PUBSUB_NUMPAT("pubsub|numpat", 2, Command.NUMPAT),
    /** PING [message]: PING (argument = message); its ingress frame is a copy of the message. */
    PING("ping", -1, Command.PING),
    /** ECHO message: RAW; its ingress frame is a copy of the message. */
    ECHO("echo", 2, Command.RAW),
    /** HELLO [protover [AUTH user pass] [SETNAME name]]: HELLO (detail's version via RespFrontEnd). */
    HELLO("hello", -1, Command.HELLO),
    /** AUTH [user] password: AUTH (argument = password), through the connection's AuthGate. */
    AUTH("auth", -2, Command.AUTH),
    /** CLIENT ID: RAW, answered with the session id. */
    CLIENT_ID("client|id", 2, Command.RAW),
    /** CLIENT SETNAME name: NAME. */
    CLIENT_SETNAME("client|setname", 3, Command.NAME),
    /** CLIENT GETNAME: GETNAME. */
    CLIENT_GETNAME("client|getname", 2, Command.GETNAME),
    /** CLIENT SETINFO attr value: RAW, +OK. */
    CLIENT_SETINFO("client|setinfo", 4, Command.RAW),
    /** CLIENT REPLY ON|OFF|SKIP: handled by RespFrontEnd; ON answers RAW +OK. */
    CLIENT_REPLY("client|reply", 3, Command.RAW),
    /** CLIENT LIST: CLIENTS, answered as one bulk string of lines. */
    CLIENT_LIST("client|list", -2, Command.CLIENTS),
    /** RESET: RESET, answered +RESET. */
    RESET("reset", 1, Command.RESET),
    /** QUIT: QUIT, answered +OK, then the connection closes. */
    QUIT("quit", -1, Command.QUIT),
    /** SELECT index: RAW, +OK for 0; another index is refused by RespFrontEnd. */
    SELECT("select", 2, Command.RAW),
    /** GET key: GET of the channel's latest value. */
    GET("get", 2, Command.GET),
    /** COMMAND: RAW, the table of these commands in Redis' COMMAND format. */
    COMMAND("command", -1, Command.RAW),
    /** COMMAND DOCS [name ...]: RAW. */
    COMMAND_DOCS("command|docs", -2, Command.RAW),
    /** COMMAND COUNT: RAW. */
    COMMAND_COUNT("command|count", 2, Command.RAW),
    /** INFO [section ...]: STATS, answered as Redis' INFO text. */
    INFO("info", -1, Command.STATS),
    /** FLUSHALL [ASYNC|SYNC]: FLUSH. */
    FLUSHALL("flushall", -1, Command.FLUSH),
    /** FUNCTION FLUSH [ASYNC|SYNC]: RAW, +OK (there are no functions). */
    FUNCTION_FLUSH("function|flush", -2, Command.RAW);

    private final String fullName;
    private final int arity;
    private final Command command;

    RespCommand(final String fullName, final int arity, final Command command)
    {
        this.fullName = fullName;
        this.arity = arity;
        this.command = command;
    }

    /** The name Redis prints in errors: lower case, {@code container|sub} for a subcommand. */
    public String fullName()
    {
        return fullName;
    }

    /** Redis' arity: exactly that many arguments (with the name) when positive, at least -arity when negative. */
    public int arity()
    {
        return arity;
    }

    /** The neutral command it becomes (see each constant). */
    public Command command()
    {
        return command;
    }

    /** The command whose ordinal is {@code detail}. */
    public static RespCommand of(final int detail)
    {
        return values()[detail];
    }
}
