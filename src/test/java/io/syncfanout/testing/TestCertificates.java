package io.syncfanout.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private certificate authority for the PubNub stand-in, made for the test run with the JDK's own
 * {@code keytool}: the stand-in serves a certificate it signed for {@code 127.0.0.1} and
 * {@code localhost}, and the function trusts it through the REST client's trust-store settings, as a
 * deployment behind a TLS-inspecting proxy would. Nothing here is committed; every JVM makes its own.
 */
public final class TestCertificates {

    public static final String PASSWORD = "standin-changeit";
    private static TestCertificates made;

    /** The stand-in's key and certificate chain (PKCS12). */
    public final Path serverKeyStore;
    /** The CA's certificate alone (PKCS12): what the function is told to trust. */
    public final Path trustStore;

    private TestCertificates(Path serverKeyStore, Path trustStore) {
        this.serverKeyStore = serverKeyStore;
        this.trustStore = trustStore;
    }

    /** A client context that trusts the stand-in's CA, and nothing else. */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The run's certificates, made on first use. */
    public static synchronized TestCertificates get() {
        if (made == null) {
            made = make();
        }
        return made;
    }

    private static TestCertificates make() {
        try {
            Path dir = Files.createTempDirectory("pubnub-standin-tls");
            dir.toFile().deleteOnExit();
            Path ca = dir.resolve("ca.p12");
            Path server = dir.resolve("server.p12");
            Path trust = dir.resolve("truststore.p12");
            Path csr = dir.resolve("server.csr");
            Path serverCert = dir.resolve("server.crt");
            Path caCert = dir.resolve("ca.crt");
            keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                    "-dname", "CN=sync-fanout test CA", "-ext", "bc:c", "-keystore", ca.toString());
            keytool("-exportcert", "-alias", "ca", "-rfc", "-keystore", ca.toString(), "-file", caCert.toString());
            keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                    "-dname", "CN=localhost", "-keystore", server.toString());
            keytool("-certreq", "-alias", "server", "-keystore", server.toString(), "-file", csr.toString());
            keytool("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-infile", csr.toString(), "-outfile",
                    serverCert.toString(), "-rfc", "-validity", "30", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-ext", "EKU=serverAuth");
            keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore", server.toString());
            keytool("-importcert", "-noprompt", "-alias", "server", "-file", serverCert.toString(), "-keystore", server.toString());
            keytool("-importcert", "-noprompt", "-alias", "pubnub-standin-ca", "-file", caCert.toString(), "-keystore", trust.toString());
            for (Path p : List.of(ca, server, trust, csr, serverCert, caCert)) {
                p.toFile().deleteOnExit();
            }
            return new TestCertificates(server, trust);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("keytool interrupted", e);
        }
    }
}
