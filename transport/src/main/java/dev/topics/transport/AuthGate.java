package dev.topics.transport;

import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.ParsedLine;

import java.security.MessageDigest;

/**
 * One connection's authentication state: until the client has sent the right {@code AUTH <token>},
 * every command except {@code AUTH} and {@code QUIT} is turned into {@code ERR auth-required}
 * before it reaches the broker, so an unauthenticated client changes nothing.
 *
 * <p>One instance per channel, used only on that channel's event-loop thread. Checking and
 * committing are separate because the transport may offer the same line again when the broker had
 * no room: {@link #check} changes no state, so a retry gets the same verdict, and
 * {@link #commit} is called once, after the sink accepted the line.
 */
public final class AuthGate
{
    /** Wrong tokens one connection may send before it is closed: bounds guessing per connection. */
    static final int MAX_FAILURES = 3;

    public enum Verdict
    {
        /** Not an authentication event (also a rejected command, whose error is the answer). */
        PASS,
        /** The right token: answer OK, and the connection is authenticated from now on. */
        ACCEPTED,
        /** A wrong or missing token. */
        FAILED
    }

    /** Null when auth is off. */
    private final byte[] token;
    private boolean authenticated;
    private int failures;

    public AuthGate(final byte[] token)
    {
        this.token = token;
        this.authenticated = token == null;
    }

    /**
     * Decides what {@code line} may do, rewriting it into the error to answer when it may not run.
     * Changes no state.
     */
    public Verdict check(final ParsedLine line)
    {
        if (line.command() == Command.AUTH)
        {
            return checkAuth(line);
        }
        if (!authenticated && line.command() != Command.QUIT)
        {
            line.asError(ErrorCode.AUTH_REQUIRED);
        }
        return Verdict.PASS;
    }

    /**
     * Applies a verdict whose line the sink has accepted.
     *
     * @return true when this connection has now sent {@link #MAX_FAILURES} wrong tokens and is to
     * be closed.
     */
    public boolean commit(final Verdict verdict)
    {
        switch (verdict)
        {
            case ACCEPTED:
                authenticated = true;
                return false;
            case FAILED:
                // Failures are never reset: a success does not buy further guesses.
                return ++failures >= MAX_FAILURES;
            default:
                return false;
        }
    }

    /** Whether {@code token} is the right one (false when auth is off); constant time, no state change. */
    public boolean isRightToken(final byte[] given)
    {
        // Constant time: with the expected token first, MessageDigest.isEqual takes a time that
        // depends only on the expected token's length, not on how much of the guess was right.
        return token != null && MessageDigest.isEqual(token, given);
    }

    /** Whether auth is on at all. */
    public boolean required()
    {
        return token != null;
    }

    /** Whether the connection may run commands now. */
    public boolean authenticated()
    {
        return authenticated;
    }

    /** Back to the state of a new connection (RESP's RESET): authenticated only when auth is off. */
    public void reset()
    {
        authenticated = token == null;
    }

    private Verdict checkAuth(final ParsedLine line)
    {
        if (token == null)
        {
            line.asError(ErrorCode.AUTH_NOT_ENABLED);
            return Verdict.PASS;
        }
        if (matches(line))
        {
            return Verdict.ACCEPTED;
        }
        line.asError(ErrorCode.AUTH_FAILED);
        return Verdict.FAILED;
    }

    private boolean matches(final ParsedLine line)
    {
        final int length = line.argumentLength();
        final byte[] given = new byte[Math.max(length, 0)];
        if (length > 0)
        {
            line.line().getBytes(line.argumentIndex(), given);
        }
        // Constant time: with the expected token first, MessageDigest.isEqual takes a time that
        // depends only on the expected token's length, not on how much of the guess was right.
        return MessageDigest.isEqual(token, given);
    }
}
