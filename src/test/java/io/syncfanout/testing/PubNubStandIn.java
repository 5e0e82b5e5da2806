package io.syncfanout.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

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

    private WireMockServer server;
    private boolean keys = true;

    @Override
    public void init(Map<String, String> initArgs) {
        keys = !"elsewhere".equals(initArgs.get(KEYS));
    }

    @Override
    public Map<String, String> start() {
        FAULTS.enabled(false);
        server = newServer(0, FAULTS);
        server.start();
        String origin = "http://127.0.0.1:" + server.port();
        // Keys too: a @QuarkusIntegrationTest runs the packaged function with the prod profile.
        return keys ? Map.of("pubnub.origin", origin, "pubnub.publish-key", "test-pub", "pubnub.subscribe-key", "test-sub")
                : Map.of("pubnub.origin", origin);
    }

    /**
     * A stand-in on loopback ({@code port} 0 for a free one), answering from the mappings in
     * {@code src/test/resources/pubnub-standin}: the same ones {@code quarkus dev} serves.
     */
    public static WireMockServer newServer(int port) {
        FaultInjector none = new FaultInjector(0, 0);
        none.enabled(false);
        return newServer(port, none);
    }

    /** A stand-in whose answers {@code faults} may spoil. */
    public static WireMockServer newServer(int port, FaultInjector faults) {
        return new WireMockServer(options().bindAddress("127.0.0.1").port(port)
                .usingFilesUnderClasspath("pubnub-standin")
                .asynchronousResponseEnabled(true)
                .containerThreads(96)
                .jettyAcceptors(2)
                .extensions(faults));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(StandIn.class, WireMockServer.class));
    }

    @Override
    public void stop() {
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
