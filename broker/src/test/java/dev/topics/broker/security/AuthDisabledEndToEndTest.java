package dev.topics.broker.security;

import dev.topics.broker.BrokerConfig;
import dev.topics.broker.TopicsBroker;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code AUTH} against a broker without a token: answered, harmless, and nothing is locked. */
class AuthDisabledEndToEndTest
{
    @Test
    void shouldAnswerAuthNotEnabledAndServeEveryoneWithoutAuth() throws Exception
    {
        try (TopicsBroker broker = TopicsBroker.launch(BrokerConfig.builder().bind(new InetSocketAddress("127.0.0.1", 0)).build());
             LineClient client = LineClient.connect(broker.address()))
        {
            client.send("PING first\r\nAUTH anything\r\nPING after\r\n");
            assertEquals("PONG first", client.readLine());
            assertEquals("ERR auth-not-enabled this server has no token; AUTH is not needed", client.readLine());
            assertEquals("PONG after", client.readLine());
        }
    }
}
