package dev.topics.transport.resp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The engine's text replies as Redis' text replies: STATS as INFO, CLIENTS as CLIENT LIST. Both are
 * a bulk string in RESP2 and a verbatim {@code txt} string in RESP3, as Redis 7.0 sends them. Each
 * char of the engine's text stands for one byte (ISO-8859-1), so names come back as they were sent.
 *
 * <p>Stateless; safe on any thread. Made on request only (never per delivery), so it builds in
 * memory first and the caller copies the result into one buffer of the exact size.
 */
final class RespText
{
    private static final String STATS = "STATS";
    private static final String CLIENT = "CLIENT";

    private RespText()
    {
    }

    /**
     * INFO from {@code STATS key=value key=value ...}: a {@code # Server} section naming Redis
     * {@value RespEncoder#VERSION} in standalone mode (what clients read there), a {@code # Clients}
     * section with {@code connected_clients} (our {@code connections}), then {@code # Stats} with
     * every STATS figure as {@code key:value}, sections apart by an empty line, each line ending in
     * CRLF, as Redis writes INFO.
     */
    static byte[] info(final int version, final String stats)
    {
        final StringBuilder text = new StringBuilder(512)
            .append("# Server\r\nredis_version:").append(RespEncoder.VERSION).append("\r\nredis_mode:standalone\r\n");
        final String[] fields = stats == null ? new String[0] : stats.trim().split(" ");
        String connections = null;
        final StringBuilder figures = new StringBuilder(512);
        for (final String field : fields)
        {
            final int equals = field.indexOf('=');
            if (field.isEmpty() || STATS.equals(field) || equals < 0)
            {
                continue;
            }
            final String key = field.substring(0, equals);
            final String value = field.substring(equals + 1);
            if ("connections".equals(key))
            {
                connections = value;
            }
            figures.append(key).append(':').append(value).append("\r\n");
        }
        if (connections != null)
        {
            text.append("\r\n# Clients\r\nconnected_clients:").append(connections).append("\r\n");
        }
        text.append("\r\n# Stats\r\n").append(figures);
        return new RespBuilder(version).text(text.toString().getBytes(StandardCharsets.ISO_8859_1)).toByteArray();
    }

    /**
     * CLIENT LIST from the CLIENTS lines ({@code CLIENT id=1 addr=... name=...}, joined by CRLF):
     * each line without its {@code CLIENT} word and ending in LF, as Redis ends its lines.
     */
    static byte[] clientList(final int version, final String lines)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (lines != null && !lines.isEmpty())
        {
            for (final String line : lines.split("\r\n"))
            {
                String entry = line;
                if (entry.startsWith(CLIENT))
                {
                    entry = entry.substring(CLIENT.length()).stripLeading();
                }
                final byte[] bytes = entry.getBytes(StandardCharsets.ISO_8859_1);
                out.write(bytes, 0, bytes.length);
                out.write('\n');
            }
        }
        return new RespBuilder(version).text(out.toByteArray()).toByteArray();
    }
}
