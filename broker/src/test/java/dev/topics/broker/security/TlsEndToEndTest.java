package dev.topics.broker.security;

import dev.topics.broker.BrokerConfig;
import dev.topics.broker.TestBrokers;
import dev.topics.broker.TopicsBroker;
import dev.topics.testing.LineClient;
import dev.topics.transport.SecurityConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS end to end, with a certificate made by {@code keytool} at test time; also with AUTH on top. */
class TlsEndToEndTest
{
    private static final String TOKEN = "tls-token";

    @TempDir
    static Path dir;
    private static TestCertificate certificate;
    private static TopicsBroker broker;

    @BeforeAll
    static void launch() throws Exception
    {
        certificate = TestCertificate.create(dir);
        broker = TopicsBroker.launch(TestBrokers.loopback()
            .security(SecurityConfig.NONE.withTls(certificate.certPem, certificate.keyPem).withAuthToken(TOKEN))
            .build());
    }

    @AfterAll
    static void close()
    {
        broker.close();
    }

    @Test
    void shouldSayTlsIsOn()
    {
        assertTrue(broker.tlsEnabled());
    }

    @Test
    void shouldPresentTheConfiguredCertificate() throws Exception
    {
        try (LineClient client = certificate.connect(broker.address()))
        {
            final SSLSocket socket = (SSLSocket)client.socket();
            assertEquals(certificate.certificate, socket.getSession().getPeerCertificates()[0]);
            client.sendRaw("AUTH " + TOKEN + "\r\n");
            assertEquals("OK", client.readLine());
        }
    }

    @Test
    void shouldServeTheProtocolOverTls() throws Exception
    {
        try (LineClient subscriber = certificate.connect(broker.address());
             LineClient publisher = certificate.connect(broker.address()))
        {
            subscriber.sendRaw("AUTH " + TOKEN + "\r\nSUB secure\r\n");
            assertEquals("OK", subscriber.readLine());
            assertEquals("SUBSCRIBED secure", subscriber.readLine());
            publisher.sendRaw("AUTH wrong\r\nAUTH " + TOKEN + "\r\nPUB secure héllo  wörld \r\n");
            assertEquals("ERR auth-failed wrong token", publisher.readLine());
            assertEquals("OK", publisher.readLine());
            assertEquals("UPDATED secure héllo  wörld ", subscriber.readLine());
        }
    }

    @Test
    void shouldNeverAnswerPlainTextOnATlsPort() throws Exception
    {
        try (LineClient plain = new LineClient(broker.address()))
        {
            plain.sendRaw("AUTH " + TOKEN + "\r\nPING\r\n");
            final String received = plain.readUntilClosed();
            assertFalse(received.contains("PONG"), received);
            assertFalse(received.contains("OK"), received);
        }
        try (LineClient client = certificate.connect(broker.address()))
        {
            client.sendRaw("AUTH " + TOKEN + "\r\n");
            assertEquals("OK", client.readLine());
            assertTrue(AuthEndToEndTest.statsValue(client, "tls_failures") >= 1);
        }
    }

    @Test
    void shouldRefuseToLaunchWithAnUnreadableKey() throws Exception
    {
        final Path badKey = Files.writeString(dir.resolve("bad.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        final BrokerConfig config = TestBrokers.loopback()
            .security(SecurityConfig.NONE.withTls(certificate.certPem, badKey))
            .build();
        final IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> TopicsBroker.launch(config).close());
        assertTrue(failure.getMessage().contains("bad.key"), failure.getMessage());
    }

    @Test
    void shouldRefuseACertificateWithoutAKey()
    {
        assertThrows(IllegalArgumentException.class, () -> SecurityConfig.NONE.withTls(certificate.certPem, null));
    }
}
