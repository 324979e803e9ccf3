package dev.topics.transport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the transport guards its connections against unwanted and dead peers: a shared-secret token
 * ({@code AUTH}), TLS, and a read-idle timeout. Everything is off by default; see
 * docs/operations.md, "Security and idle connections".
 *
 * <p>Immutable; safe on any thread. {@link #toString()} never shows the token, so this record can
 * be logged.
 *
 * @param authToken   the token clients must send with {@code AUTH} before anything else; null: off.
 * @param tlsCert     PEM certificate chain for TLS; null (with {@code tlsKey}): plain TCP.
 * @param tlsKey      PEM private key (unencrypted PKCS#8) for TLS.
 * @param idleTimeout close a connection that sent nothing for this long; zero: never.
 */
public record SecurityConfig(String authToken, Path tlsCert, Path tlsKey, Duration idleTimeout)
{
    /** No token, no TLS, no idle timeout. */
    public static final SecurityConfig NONE = new SecurityConfig(null, null, null, Duration.ZERO);

    public SecurityConfig
    {
        if (authToken != null)
        {
            requireValidToken(authToken);
        }
        if ((tlsCert == null) != (tlsKey == null))
        {
            throw new IllegalArgumentException("TLS needs both a certificate and a key file");
        }
        if (idleTimeout == null || idleTimeout.isNegative())
        {
            throw new IllegalArgumentException("idle timeout must be zero (off) or positive");
        }
    }

    public SecurityConfig withAuthToken(final String authToken)
    {
        return new SecurityConfig(authToken, tlsCert, tlsKey, idleTimeout);
    }

    public SecurityConfig withTls(final Path tlsCert, final Path tlsKey)
    {
        return new SecurityConfig(authToken, tlsCert, tlsKey, idleTimeout);
    }

    public SecurityConfig withIdleTimeout(final Duration idleTimeout)
    {
        return new SecurityConfig(authToken, tlsCert, tlsKey, idleTimeout);
    }

    public boolean authEnabled()
    {
        return authToken != null;
    }

    public boolean tlsEnabled()
    {
        return tlsCert != null;
    }

    /** The token's bytes as clients send them (UTF-8), or null when auth is off. */
    byte[] authTokenBytes()
    {
        return authToken == null ? null : authToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString()
    {
        // The token is a secret: say only whether there is one.
        return "SecurityConfig[auth=" + (authEnabled() ? "on" : "off")
            + ", tlsCert=" + tlsCert + ", tlsKey=" + tlsKey + ", idleTimeout=" + idleTimeout + "]";
    }

    /** A token must survive the line protocol: one word, no control bytes, so a client can type it. */
    private static void requireValidToken(final String token)
    {
        if (token.isEmpty())
        {
            throw new IllegalArgumentException("the auth token must not be empty");
        }
        for (int i = 0; i < token.length(); i++)
        {
            final char c = token.charAt(i);
            if (c <= ' ' || c == 0x7F)
            {
                throw new IllegalArgumentException("the auth token must not contain spaces or control characters");
            }
        }
    }
}
