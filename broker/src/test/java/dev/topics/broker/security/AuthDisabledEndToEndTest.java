package dev.topics.broker.security;

import dev.topics.broker.TestBrokers;
import dev.topics.broker.TopicsBroker;
import dev.topics.testing.LineClient;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code AUTH} against a broker without a token: answered, harmless, and nothing is locked. */
class AuthDisabledEndToEndTest
{
    @Test
    void shouldAnswerAuthNotEnabledAndServeEveryoneWithoutAuth() throws Exception
    {
        try (TopicsBroker broker = TopicsBroker.launch(TestBrokers.loopback().build());
             LineClient client = new LineClient(broker.address()))
        {
            client.sendRaw("PING first\r\nAUTH anything\r\nPING after\r\n");
            assertEquals("PONG first", client.readLine());
            assertEquals("ERR auth-not-enabled this server has no token; AUTH is not needed", client.readLine());
            assertEquals("PONG after", client.readLine());
        }
    }
}
