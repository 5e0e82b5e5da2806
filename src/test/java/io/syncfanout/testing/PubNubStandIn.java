package io.syncfanout.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
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
 * A PubNub publish endpoint on a random loopback port (WireMock), answering as PubNub does:
 * {@code [1,"Sent","<timetoken>"]} labelled {@code text/javascript}. Tests restub it per case.
 */
public class PubNubStandIn implements QuarkusTestResourceLifecycleManager {

    /** Marks a test field that receives the running stand-in. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface StandIn {
    }

    public static final String PUBLISH_PATH = "/publish/.*";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().asynchronousResponseEnabled(true)
                .containerThreads(64));
        server.start();
        acknowledgeEverything(server);
        return Map.of("pubnub.origin", "http://127.0.0.1:" + server.port());
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

    public static void acknowledgeEverything(WireMockServer server) {
        server.resetAll();
        server.stubFor(post(urlPathMatching(PUBLISH_PATH)).willReturn(sent()));
    }

    public static ResponseDefinitionBuilder sent() {
        return pubnub(200, "[1,\"Sent\",\"17000000000000000\"]");
    }

    /** An answer labelled as PubNub labels its answers. */
    public static ResponseDefinitionBuilder pubnub(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/javascript; charset=\"UTF-8\"").withBody(body);
    }
}
