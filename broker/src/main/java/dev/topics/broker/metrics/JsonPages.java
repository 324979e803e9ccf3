package dev.topics.broker.metrics;

import dev.topics.broker.report.ClientRecord;
import dev.topics.broker.report.EngineSnapshot;

import java.util.Map;

/**
 * The JSON pages, as NATS' {@code /varz} and {@code /connz}: {@code /stats} has every STATS key
 * with the same value STATS would have shown at that moment, then the byte totals and the
 * protocol errors by code; {@code /clients} has one object per connection with the keys of a
 * CLIENTS line.
 *
 * <p>Stateless; called on the metrics thread.
 */
final class JsonPages
{
    private JsonPages()
    {
    }

    static String stats(final EngineSnapshot snapshot, final Map<String, Long> errorsByCode)
    {
        final StringBuilder json = new StringBuilder(1024);
        final JsonFields page = new JsonFields(json);
        snapshot.statsValues().forEach(page::number);
        page.number("received_bytes", snapshot.receivedBytes());
        page.number("sent_bytes", snapshot.sentBytes());
        final JsonFields errors = page.object("errors_by_code");
        errorsByCode.forEach(errors::number);
        errors.close();
        page.close();
        return json.append('\n').toString();
    }

    static String clients(final EngineSnapshot snapshot)
    {
        final StringBuilder json = new StringBuilder(256 + snapshot.clients().size() * 256);
        final JsonFields page = new JsonFields(json);
        page.number("connections", snapshot.clients().size());
        page.array("clients");
        boolean first = true;
        for (final ClientRecord client : snapshot.clients())
        {
            if (!first)
            {
                json.append(',');
            }
            first = false;
            final JsonFields object = new JsonFields(json);
            client.writeTo(object);
            object.close();
        }
        json.append(']');
        page.close();
        return json.append('\n').toString();
    }
}
