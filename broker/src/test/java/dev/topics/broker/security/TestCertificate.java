package dev.topics.broker.security;

import dev.topics.testing.LineClient;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made at test time with the
 * JDK's own {@code keytool} (no BouncyCastle, nothing checked in that could expire), written out as
 * the PEM files the broker reads, plus a client {@link SSLContext} that trusts only it.
 *
 * <p>Made once per test class on the test thread; immutable afterwards.
 */
final class TestCertificate
{
    private static final String ALIAS = "topics";
    private static final char[] PASSWORD = "changeit".toCharArray();

    final Path certPem;
    final Path keyPem;
    final X509Certificate certificate;
    private final SSLContext clientContext;

    private TestCertificate(final Path certPem, final Path keyPem, final X509Certificate certificate, final SSLContext clientContext)
    {
        this.certPem = certPem;
        this.keyPem = keyPem;
        this.certificate = certificate;
        this.clientContext = clientContext;
    }

    static TestCertificate create(final Path dir) throws IOException, GeneralSecurityException, InterruptedException
    {
        final Path keystore = dir.resolve("server.p12");
        runKeytool(keystore);
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore))
        {
            store.load(in, PASSWORD);
        }
        final PrivateKey key = (PrivateKey)store.getKey(ALIAS, PASSWORD);
        final X509Certificate certificate = (X509Certificate)store.getCertificate(ALIAS);
        final Path certPem = Files.writeString(dir.resolve("server.crt"), pem("CERTIFICATE", certificate.getEncoded()));
        // A PKCS#12 private key encodes as unencrypted PKCS#8, the form the broker reads.
        final Path keyPem = Files.writeString(dir.resolve("server.key"), pem("PRIVATE KEY", key.getEncoded()));
        return new TestCertificate(certPem, keyPem, certificate, trusting(certificate));
    }

    /** A TLS client socket that trusts this certificate only and checks it names the host. */
    LineClient connect(final InetSocketAddress address) throws IOException
    {
        final SSLSocket socket = (SSLSocket)clientContext.getSocketFactory()
            .createSocket(address.getAddress(), address.getPort());
        final SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return new LineClient(socket);
    }

    private static void runKeytool(final Path keystore) throws IOException, InterruptedException
    {
        final Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        final Process process = new ProcessBuilder(List.of(
            keytool.toString(), "-genkeypair", "-noprompt",
            "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
            "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
            "-storetype", "PKCS12", "-keystore", keystore.toString(),
            "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
            .redirectErrorStream(true)
            .start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
        {
            throw new IOException("keytool failed: " + output);
        }
    }

    private static SSLContext trusting(final X509Certificate certificate) throws IOException, GeneralSecurityException
    {
        final KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("broker", certificate);
        final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static String pem(final String type, final byte[] der)
    {
        final Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        return "-----BEGIN " + type + "-----\n" + base64.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
