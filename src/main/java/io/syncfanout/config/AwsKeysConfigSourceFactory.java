package io.syncfanout.config;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

import org.eclipse.microprofile.config.spi.ConfigSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Reads the PubNub keys at start-up from SSM Parameter Store (SecureString) or Secrets Manager,
 * through the AWS Parameters and Secrets Lambda Extension's local endpoint
 * (<a href="https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html">AWS</a>):
 * no AWS SDK in the function, so no cold-start cost and nothing for the native image to reflect on.
 * Active only when infra/ names where the keys live:
 * {@code PUBNUB_*_KEY_PARAMETER} (parameter names) or {@code PUBNUB_KEYS_SECRET_ID} (one JSON secret
 * with {@code publish_key}, {@code subscribe_key}, {@code secret_key}, {@code auth_key}).
 * A {@code PUBNUB_*_KEY} environment variable still wins (its ordinal is higher).
 */
public class AwsKeysConfigSourceFactory implements ConfigSourceFactory {

    /** Below environment variables (300), above application.properties (250). */
    public static final int ORDINAL = 275;
    private static final Map<String, String> PARAMETERS = Map.of(
            "PUBNUB_PUBLISH_KEY_PARAMETER", "pubnub.publish-key",
            "PUBNUB_SUBSCRIBE_KEY_PARAMETER", "pubnub.subscribe-key",
            "PUBNUB_SECRET_KEY_PARAMETER", "pubnub.secret-key",
            "PUBNUB_AUTH_KEY_PARAMETER", "pubnub.auth-key");
    private static final Map<String, String> SECRET_FIELDS = Map.of(
            "publish_key", "pubnub.publish-key",
            "subscribe_key", "pubnub.subscribe-key",
            "secret_key", "pubnub.secret-key",
            "auth_key", "pubnub.auth-key");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> keys = read(name -> value(context, name));
        return keys.isEmpty() ? List.of() : List.of(new PropertiesConfigSource(keys, "aws-parameters-and-secrets", ORDINAL));
    }

    /**
     * The keys where infra/ says they live, by property ({@code pubnub.publish-key}, …); empty when it
     * names no place. At start-up, and again after a SnapStart restore (a rotation since the snapshot).
     *
     * @param setting the value of a setting ({@code PUBNUB_KEYS_SECRET_ID}, …), or null
     */
    public static Map<String, String> read(Function<String, String> setting) {
        Map<String, String> keys = new HashMap<>();
        String secretId = setting.apply("PUBNUB_KEYS_SECRET_ID");
        boolean anyParameter = PARAMETERS.keySet().stream().anyMatch(name -> setting.apply(name) != null);
        if (secretId == null && !anyParameter) {
            return keys;
        }
        Extension extension = new Extension(setting.apply("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"), setting.apply("AWS_SESSION_TOKEN"));
        if (secretId != null) {
            JsonNode secret = extension.secret(secretId);
            SECRET_FIELDS.forEach((field, property) -> {
                if (secret.path(field).isTextual() && !secret.path(field).asText().isBlank()) {
                    keys.put(property, secret.path(field).asText());
                }
            });
        }
        PARAMETERS.forEach((variable, property) -> {
            String name = setting.apply(variable);
            if (name != null) {
                keys.put(property, extension.parameter(name));
            }
        });
        return keys;
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue();
    }

    /** The extension's HTTP endpoint on localhost, authorised by the function's session token. */
    static final class Extension {
        /**
         * How long every read together may wait for the extension to start: with a last attempt's 1 s
         * timeout, well inside Lambda's 10 s init (SnapStart's too, which runs while a version is published).
         */
        static final Duration RETRY_FOR = Duration.ofSeconds(3);
        static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(25);
        static final Duration MAX_RETRY_DELAY = Duration.ofMillis(400);
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        // Here, not in a static field: Quarkus loads this factory on every start, keys in SSM or not,
        // and a second mapper built there on every cold start is wasted (docs/profiling.md).
        private final ObjectMapper json = new ObjectMapper();
        private final String base;
        private final String token;
        private final long giveUpAt = System.nanoTime() + RETRY_FOR.toNanos();

        Extension(String port, String token) {
            this.base = "http://localhost:" + (port == null ? "2773" : port);
            this.token = token == null ? "" : token;
        }

        String parameter(String name) {
            JsonNode answer = get("/systemsmanager/parameters/get?withDecryption=true&name=" + encode(name),
                    "SSM parameter " + name);
            JsonNode value = answer.path("Parameter").path("Value");
            if (!value.isTextual() || value.asText().isBlank()) {
                throw new IllegalStateException("SSM parameter " + name + " has no value");
            }
            return value.asText();
        }

        JsonNode secret(String secretId) {
            String what = "Secrets Manager secret " + secretId;
            JsonNode answer = get("/secretsmanager/get?secretId=" + encode(secretId), what);
            try {
                JsonNode keys = json.readTree(answer.path("SecretString").asText(""));
                if (keys == null || !keys.isObject()) {
                    throw new IllegalStateException(what + " is not a JSON object with publish_key and subscribe_key");
                }
                return keys;
            } catch (IOException e) {
                // Never quote the secret's text.
                throw new IllegalStateException(what + " is not a JSON object with publish_key and subscribe_key");
            }
        }

        private JsonNode get(String path, String what) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(1))
                    .header("X-Aws-Parameters-Secrets-Token", token).GET().build();
            long delayMillis = FIRST_RETRY_DELAY.toMillis();
            for (int attempt = 1; ; attempt++) {
                String notYet;
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return json.readTree(response.body());
                    }
                    if (!isStarting(response)) {
                        throw new IllegalStateException("cannot read " + what + " through the AWS Parameters and Secrets "
                                + "extension at " + base + ": HTTP " + response.statusCode()
                                + " (does the role allow it, and is the extension layer attached?)");
                    }
                    notYet = "HTTP " + response.statusCode();
                } catch (IOException e) {
                    notYet = e.getClass().getSimpleName();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading " + what);
                }
                if (System.nanoTime() + delayMillis * 1_000_000 - giveUpAt > 0) {
                    throw new IllegalStateException("cannot read " + what + " through the AWS Parameters and Secrets extension at "
                            + base + ": " + notYet + " after " + attempt + " attempts in " + RETRY_FOR.toSeconds()
                            + " s (is the extension layer attached, and built for this architecture?)");
                }
                sleep(delayMillis);
                delayMillis = Math.min(delayMillis * 2, MAX_RETRY_DELAY.toMillis());
            }
        }

        /**
         * Lambda starts the runtime's init once an extension has registered, not once it listens
         * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html), so the first
         * connections may be refused or reset, and a 5xx or "not ready" answer is the extension still starting.
         */
        private static boolean isStarting(HttpResponse<String> response) {
            return response.statusCode() >= 500 || response.body() != null && response.body().toLowerCase().contains("not ready");
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the AWS Parameters and Secrets extension");
            }
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }
}
