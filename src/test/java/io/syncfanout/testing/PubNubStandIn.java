package io.syncfanout.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The PubNub stand-in for tests: WireMock on a random loopback port with the stand-in's mappings
 * (see {@code src/test/resources/pubnub-standin/README.md}). Tests stub special cases over it.
 * Suites declare it {@code restrictToAnnotatedClass}: a resource declared without it would hand its
 * keys to every suite, even one whose keys must come from elsewhere.
 */
public class PubNubStandIn implements QuarkusTestResourceLifecycleManager {

    /** Marks a test field that receives the running stand-in. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface StandIn {
    }

    public static final String PUBLISH_PATH = "/publish/.*";

    /** Faults for the stand-in the tests share; off unless a test switches them on. */
    public static final FaultInjector FAULTS = new FaultInjector(20261127L, 2_500);

    /** The resource argument that leaves the keys to another source: {@code keys=elsewhere}. */
    public static final String KEYS = "keys";
    /** The resource argument giving the keyset a secret key: every request must then be signed with it. */
    public static final String SECRET_KEY = "secret-key";
    /**
     * The resource argument putting a {@link TcpFront} between the function and the stand-in
     * ({@code front=tcp}): what a network does to connections. A {@code @StandIn TcpFront} field receives it.
     */
    public static final String FRONT = "front";
    /** The resource argument naming this suite's transport ({@code https-http1}, say), whatever {@code standin.transport} says. */
    public static final String TRANSPORT = "transport";

    private WireMockServer server;
    private TcpFront front;
    private boolean keys = true;
    private boolean withFront;
    private Transport transport;
    private String secretKey;

    @Override
    public void init(Map<String, String> initArgs) {
        keys = !"elsewhere".equals(initArgs.get(KEYS));
        secretKey = initArgs.get(SECRET_KEY);
        withFront = "tcp".equals(initArgs.get(FRONT));
        transport = initArgs.containsKey(TRANSPORT) ? Transport.of(initArgs.get(TRANSPORT)) : null;
    }

    @Override
    public Map<String, String> start() {
        FAULTS.enabled(false);
        Transport transport = this.transport == null ? Transport.configured() : this.transport;
        server = newServer(0, FAULTS, transport, secretKey);
        server.start();
        Map<String, String> config = new HashMap<>(transport.functionConfig());
        config.putAll(SuiteRuntimeApi.config());
        config.put("pubnub.origin", transport.origin(server));
        if (withFront) {
            try {
                front = new TcpFront(port(server));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot start the TCP front", e);
            }
            config.put("pubnub.origin", transport.origin(server).replace(":" + port(server), ":" + front.port()));
        }
        // Keys too: a @QuarkusIntegrationTest runs the packaged function with the prod profile.
        if (keys) {
            config.putAll(Map.of("pubnub.publish-key", "test-pub", "pubnub.subscribe-key", "test-sub"));
        }
        return config;
    }

    /**
     * How the stand-in is reached. PubNub is HTTPS only and offers HTTP/2 by ALPN, so that is the
     * default; {@code -Dstandin.transport=https-http1} (TLS, HTTP/1.1 only) and {@code http} (plain, a
     * comparison line) stay available.
     */
    public enum Transport {
        HTTPS_H2("https-h2"), HTTPS_HTTP1("https-http1"), HTTP("http");

        public final String key;

        Transport(String key) {
            this.key = key;
        }

        public static Transport configured() {
            return of(System.getProperty("standin.transport", System.getenv().getOrDefault("STANDIN_TRANSPORT", "https-h2")));
        }

        public static Transport of(String key) {
            for (Transport t : values()) {
                if (t.key.equals(key)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("standin.transport is https-h2, https-http1 or http, not " + key);
        }

        public boolean tls() {
            return this != HTTP;
        }

        public String origin(WireMockServer server) {
            return tls() ? "https://127.0.0.1:" + server.httpsPort() : "http://127.0.0.1:" + server.port();
        }

        /** What the function is told: trust the stand-in's CA through the REST client's own settings. */
        public Map<String, String> functionConfig() {
            if (!tls()) {
                return Map.of();
            }
            return Map.of("quarkus.rest-client.pubnub.trust-store", TestCertificates.get().trustStore.toString(),
                    "quarkus.rest-client.pubnub.trust-store-password", TestCertificates.PASSWORD,
                    "quarkus.rest-client.pubnub.trust-store-type", "PKCS12");
        }

        /** The same, as the environment of a packaged function. */
        public Map<String, String> functionEnvironment() {
            Map<String, String> env = new HashMap<>();
            functionConfig().forEach((key, value) -> env.put(key.toUpperCase().replace('.', '_').replace('-', '_'), value));
            return env;
        }
    }

    /**
     * A stand-in on loopback ({@code port} 0 for a free one), answering from the mappings in
     * {@code src/test/resources/pubnub-standin}: the same ones {@code quarkus dev} serves.
     */
    public static WireMockServer newServer(int port) {
        return newServer(port, Transport.configured());
    }

    public static WireMockServer newServer(int port, Transport transport) {
        FaultInjector none = new FaultInjector(0, 0);
        none.enabled(false);
        return newServer(port, none, transport);
    }

    /** A stand-in whose answers {@code faults} may spoil. */
    public static WireMockServer newServer(int port, FaultInjector faults) {
        return newServer(port, faults, Transport.configured());
    }

    public static WireMockServer newServer(int port, FaultInjector faults, Transport transport) {
        return newServer(port, faults, transport, null);
    }

    /** A stand-in for a keyset whose secret key is {@code secretKey} (null: a keyset without one). */
    public static WireMockServer newServer(int port, FaultInjector faults, Transport transport, String secretKey) {
        WireMockConfiguration options = options().bindAddress("127.0.0.1")
                .usingFilesUnderClasspath("pubnub-standin")
                .asynchronousResponseEnabled(true)
                .containerThreads(96)
                .jettyAcceptors(2)
                .extensions(new PubNubRules(secretKey), faults);
        if (transport.tls()) {
            options.httpDisabled(true).httpsPort(port)
                    .keystorePath(TestCertificates.get().serverKeyStore.toString()).keystoreType("PKCS12")
                    .keystorePassword(TestCertificates.PASSWORD).keyManagerPassword(TestCertificates.PASSWORD)
                    .http2TlsDisabled(transport == Transport.HTTPS_HTTP1);
        } else {
            options.port(port);
        }
        return new WireMockServer(options);
    }

    /**
     * What a packaged function is given to publish to this stand-in: its origin, the demo keys, and
     * (over TLS) the stand-in's CA as the REST client's trust store.
     */
    public static Map<String, String> functionEnvironment(WireMockServer server) {
        Transport transport = server.isHttpsEnabled() ? Transport.HTTPS_H2 : Transport.HTTP;
        Map<String, String> env = new HashMap<>(transport.functionEnvironment());
        env.put("PUBNUB_ORIGIN", transport.origin(server));
        env.put("PUBNUB_PUBLISH_KEY", "demo-pub");
        env.put("PUBNUB_SUBSCRIBE_KEY", "demo-sub");
        return env;
    }

    /** The port the stand-in listens on, whichever transport it serves. */
    public static int port(WireMockServer server) {
        return server.isHttpsEnabled() ? server.httpsPort() : server.port();
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(StandIn.class, WireMockServer.class));
        if (front != null) {
            injector.injectIntoFields(front, new TestInjector.AnnotatedAndMatchesType(StandIn.class, TcpFront.class));
        }
    }

    @Override
    public void stop() {
        if (front != null) {
            try {
                front.close();
            } catch (java.io.IOException ignored) {
                // the run is over
            }
        }
        if (server != null) {
            server.stop();
        }
    }

    /** Back to PubNub's own behaviour, with an empty journal: drops what a test stubbed. */
    public static void acknowledgeEverything(WireMockServer server) {
        server.resetAll();
    }

    public static ResponseDefinitionBuilder sent() {
        return pubnub(200, "[1,\"Sent\",\"17000000000000000\"]");
    }

    /** An answer labelled as PubNub labels its answers. */
    public static ResponseDefinitionBuilder pubnub(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/javascript; charset=\"UTF-8\"").withBody(body);
    }
}
