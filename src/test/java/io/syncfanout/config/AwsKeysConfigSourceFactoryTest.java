package io.syncfanout.config;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.syncfanout.testing.TcpFront;

/** Keys come from SSM or Secrets Manager through the Parameters and Secrets extension, stood in by WireMock. */
class AwsKeysConfigSourceFactoryTest {

    private WireMockServer extension;

    @BeforeEach
    void start() {
        extension = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        extension.start();
    }

    @AfterEach
    void stop() {
        extension.stop();
    }

    private SmallRyeConfig config(Map<String, String> environment) {
        return config(environment, extension.port());
    }

    private SmallRyeConfig config(Map<String, String> environment, int extensionPort) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", String.valueOf(extensionPort));
        env.put("AWS_SESSION_TOKEN", "session-token");
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(env, "env", 300))
                .withSources(new AwsKeysConfigSourceFactory())
                .build();
    }

    private void parameter(String name, String value) {
        extension.stubFor(get(urlPathEqualTo("/systemsmanager/parameters/get")).withQueryParam("name", equalTo(name))
                .withQueryParam("withDecryption", equalTo("true"))
                .withHeader("X-Aws-Parameters-Secrets-Token", equalTo("session-token"))
                .willReturn(aResponse().withBody("{\"Parameter\":{\"Name\":\"" + name + "\",\"Type\":\"SecureString\",\"Value\":\""
                        + value + "\",\"Version\":3}}")));
    }

    @Test
    void keysComeFromTheNamedSecureStringParameters() {
        parameter("/sf/publish-key", "pub-c-1");
        parameter("/sf/subscribe-key", "sub-c-1");
        parameter("/sf/secret-key", "sec-c-1");

        SmallRyeConfig config = config(Map.of("PUBNUB_PUBLISH_KEY_PARAMETER", "/sf/publish-key",
                "PUBNUB_SUBSCRIBE_KEY_PARAMETER", "/sf/subscribe-key", "PUBNUB_SECRET_KEY_PARAMETER", "/sf/secret-key"));

        assertEquals("pub-c-1", config.getValue("pubnub.publish-key", String.class));
        assertEquals("sub-c-1", config.getValue("pubnub.subscribe-key", String.class));
        assertEquals("sec-c-1", config.getValue("pubnub.secret-key", String.class));
        assertFalse(config.getOptionalValue("pubnub.auth-key", String.class).isPresent());
    }

    @Test
    void keysComeFromOneJsonSecret() {
        extension.stubFor(get(urlPathEqualTo("/secretsmanager/get")).withQueryParam("secretId", equalTo("arn:aws:secretsmanager:x:1:secret:sf"))
                .willReturn(aResponse().withBody("{\"Name\":\"sf\",\"SecretString\":\"{\\\"publish_key\\\":\\\"pub-c-2\\\","
                        + "\\\"subscribe_key\\\":\\\"sub-c-2\\\",\\\"auth_key\\\":\\\"tok\\\"}\"}")));

        SmallRyeConfig config = config(Map.of("PUBNUB_KEYS_SECRET_ID", "arn:aws:secretsmanager:x:1:secret:sf"));

        assertEquals("pub-c-2", config.getValue("pubnub.publish-key", String.class));
        assertEquals("sub-c-2", config.getValue("pubnub.subscribe-key", String.class));
        assertEquals("tok", config.getValue("pubnub.auth-key", String.class));
    }

    @Test
    void aRefusedReadStopsStartUpWithAClearErrorAndNoKey() {
        extension.stubFor(get(urlPathEqualTo("/systemsmanager/parameters/get")).willReturn(aResponse().withStatus(400)
                .withBody("AccessDeniedException: not authorized to perform ssm:GetParameter")));

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> config(Map.of("PUBNUB_PUBLISH_KEY_PARAMETER", "/sf/publish-key")));
        assertTrue(error.getMessage().contains("cannot read SSM parameter /sf/publish-key"), error.getMessage());
        assertTrue(error.getMessage().contains("HTTP 400"), error.getMessage());
    }

    /**
     * Lambda starts init once the extension has registered, not once it listens: at a cold start its
     * first connections are reset. The read tries again, quickly, and start-up goes on with the keys.
     */
    @Test
    void connectionsResetWhileTheExtensionStartsAreTriedAgain() throws Exception {
        parameter("/sf/publish-key", "pub-c-3");
        try (TcpFront starting = new TcpFront(extension.port())) {
            starting.resetNext(3);

            SmallRyeConfig config = config(Map.of("PUBNUB_PUBLISH_KEY_PARAMETER", "/sf/publish-key"), starting.port());

            assertEquals("pub-c-3", config.getValue("pubnub.publish-key", String.class));
            assertTrue(starting.accepted() >= 4, "three connections reset, then one served: " + starting.accepted());
        }
    }

    @Test
    void connectionsRefusedUntilTheExtensionListensAreTriedAgain() throws Exception {
        parameter("/sf/publish-key", "pub-c-4");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        AtomicReference<TcpFront> listening = new AtomicReference<>();
        Thread later = new Thread(() -> {
            try {
                Thread.sleep(500);
                listening.set(new TcpFront(port, extension.port()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        later.start();
        try {
            SmallRyeConfig config = config(Map.of("PUBNUB_PUBLISH_KEY_PARAMETER", "/sf/publish-key"), port);

            assertEquals("pub-c-4", config.getValue("pubnub.publish-key", String.class));
        } finally {
            later.join();
            if (listening.get() != null) {
                listening.get().close();
            }
        }
    }

    /** An extension that never answers fails start-up well inside Lambda's 10 s init, saying what it tried. */
    @Test
    void anExtensionThatNeverListensFailsStartUpInsideLambdasInitWithAClearError() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        long start = System.nanoTime();

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> config(Map.of("PUBNUB_PUBLISH_KEY_PARAMETER", "/sf/publish-key"), port));

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 2_500 && millis < 8_000, "tried for about 3 s, then gave up: " + millis + " ms");
        assertTrue(error.getMessage().contains("cannot read SSM parameter /sf/publish-key"), error.getMessage());
        assertTrue(error.getMessage().contains("ConnectException after "), error.getMessage());
    }

    @Test
    void withoutParameterNamesNothingIsRead() {
        SmallRyeConfig config = config(Map.of());
        assertFalse(config.getOptionalValue("pubnub.publish-key", String.class).isPresent());
        assertTrue(extension.getAllServeEvents().isEmpty());
    }
}
