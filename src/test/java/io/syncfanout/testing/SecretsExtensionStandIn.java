package io.syncfanout.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The AWS Parameters and Secrets Lambda Extension on loopback, answering as the extension does
 * (<a href="https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html">AWS</a>):
 * one Secrets Manager secret holding the PubNub keys as JSON, readable with the session token.
 * The function is pointed at it as infra/ points it, by {@code PUBNUB_KEYS_SECRET_ID}.
 */
public class SecretsExtensionStandIn implements QuarkusTestResourceLifecycleManager {

    public static final String SECRET_ID = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sync-fanout/pubnub-AbCdEf";
    public static final String PUBLISH_KEY = "pub-c-from-secrets-manager";
    public static final String SUBSCRIBE_KEY = "sub-c-from-secrets-manager";
    public static final String AUTH_KEY = "auth-from-secrets-manager";
    private static final String SESSION_TOKEN = "session-token-of-the-function";

    private WireMockServer server;
    private Map<String, String> config = Map.of();

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        current = this;
        serve(PUBLISH_KEY, SUBSCRIBE_KEY);
        config = Map.of("PUBNUB_KEYS_SECRET_ID", SECRET_ID, "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", String.valueOf(server.port()),
                "AWS_SESSION_TOKEN", SESSION_TOKEN);
        return config;
    }

    private static volatile SecretsExtensionStandIn current;

    /** The secret rotated to new keys, as Secrets Manager would serve it from now on (the auth key kept). */
    public static void rotateTo(String publishKey, String subscribeKey) {
        current.serve(publishKey, subscribeKey);
    }

    private void serve(String publishKey, String subscribeKey) {
        String secret = "{\\\"publish_key\\\":\\\"" + publishKey + "\\\",\\\"subscribe_key\\\":\\\"" + subscribeKey
                + "\\\",\\\"auth_key\\\":\\\"" + AUTH_KEY + "\\\"}";
        server.stubFor(get(urlPathEqualTo("/secretsmanager/get")).withQueryParam("secretId", equalTo(SECRET_ID))
                .withHeader("X-Aws-Parameters-Secrets-Token", equalTo(SESSION_TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"ARN\":\"" + SECRET_ID + "\",\"Name\":\"sync-fanout/pubnub\",\"SecretString\":\"" + secret
                                + "\",\"VersionId\":\"v1\",\"VersionStages\":[\"AWSCURRENT\"]}")));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
        // Quarkus's integration-test extension also sets a resource's properties as system properties of
        // the test JVM, and restores them only when the whole run ends. Left set, they would send the
        // key source of every later suite's configuration to this stand-in, stopped by then.
        config.forEach((name, value) -> {
            if (value.equals(System.getProperty(name))) {
                System.clearProperty(name);
            }
        });
    }
}
