package io.syncfanout.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

/** The stand-in answers as PubNub's publish endpoint does (contract, section 3). */
class StandInTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().sslContext(TestCertificates.get().clientContext()).build();
    private static WireMockServer standIn;
    private static String origin;

    @BeforeAll
    static void start() {
        PubNubStandIn.Transport transport = PubNubStandIn.Transport.configured();
        standIn = PubNubStandIn.newServer(0, transport);
        standIn.start();
        origin = transport.origin(standIn);
    }

    @AfterAll
    static void stop() {
        standIn.stop();
    }

    private HttpResponse<String> publish(String channel, String body) throws Exception {
        URI uri = URI.create(origin + "/publish/pub-c-1/sub-c-1/0/" + channel + "/0?uuid=x&store=1");
        return HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** PubNub is HTTPS only and offers HTTP/2 by ALPN, HTTP/1.1 beside it; so does the stand-in. */
    @Test
    void overTlsTheStandInOffersHttp2OrHttp1AsItIsToldAndOnlyToAClientThatTrustsItsCa() throws Exception {
        for (PubNubStandIn.Transport transport : List.of(PubNubStandIn.Transport.HTTPS_H2, PubNubStandIn.Transport.HTTPS_HTTP1)) {
            WireMockServer server = PubNubStandIn.newServer(0, transport);
            server.start();
            try {
                URI uri = URI.create(transport.origin(server) + "/publish/pub-c-1/sub-c-1/0/user.tls.sync/0?uuid=x&store=1");
                HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build();
                HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode());
                assertEquals(transport == PubNubStandIn.Transport.HTTPS_H2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1,
                        answer.version(), transport.key);
                assertThrows(SSLHandshakeException.class,
                        () -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()),
                        "a client that does not trust the test CA is refused: the certificate is real TLS");
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void aJsonMessageIsAcknowledgedWithATimetoken() throws Exception {
        HttpResponse<String> answer = publish("user.alice.sync", "{\"type\":\"watchlist_update\"}");
        assertEquals(200, answer.statusCode());
        assertEquals("text/javascript; charset=\"UTF-8\"", answer.headers().firstValue("Content-Type").orElseThrow());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals(1, body.get(0).asInt());
        assertEquals("Sent", body.get(1).asText());
        assertTrue(body.get(2).asText().matches("\\d{17}"), body.get(2).asText());
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedAsPubNubRefusesIt() throws Exception {
        HttpResponse<String> answer = publish("user.alice.sync", "not json");
        assertEquals(400, answer.statusCode());
        assertEquals("[0,\"Invalid JSON\"]", answer.body());
    }

    @Test
    void aBodyOverPubNubsLimitIsTooLarge() throws Exception {
        HttpResponse<String> answer = publish("user.alice.sync", "{\"x\":\"" + "a".repeat(32_768) + "\"}");
        assertEquals(413, answer.statusCode());
        assertEquals("Request Entity Too Large", JSON.readTree(answer.body()).path("message").asText());
        assertEquals(200, publish("user.alice.sync", "{\"x\":\"" + "a".repeat(32_760) + "\"}").statusCode());
    }

    @Test
    void theLimitCountsUtf8BytesAsPubNubDoesNotCharacters() throws Exception {
        // 11,000 characters of three bytes each: 33,000 bytes, over the limit though far under in characters.
        assertEquals(413, publish("user.alice.sync", "{\"x\":\"" + "€".repeat(11_000) + "\"}").statusCode());
        assertEquals(200, publish("user.alice.sync", "{\"x\":\"" + "€".repeat(10_900) + "\"}").statusCode());
    }

    @Test
    void deniedAndUnavailableChannelsAnswerWithPubNubsErrorBodies() throws Exception {
        HttpResponse<String> denied = publish("user.denied-bob.sync", "{}");
        assertEquals(403, denied.statusCode());
        JsonNode body = JSON.readTree(denied.body());
        assertEquals("Forbidden", body.path("message").asText());
        assertEquals("user.denied-bob.sync", body.path("payload").path("channels").get(0).asText());

        HttpResponse<String> down = publish("user.unavailable-eve.sync", "{}");
        assertEquals(503, down.statusCode());
        assertEquals("[0,\"Service Unavailable\"]", down.body());
    }

    private HttpResponse<String> send(String path, String contentType, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path)).POST(body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What PubNub checks before the message: each refused as PubNub refuses it (issue 20's stricter stand-in). */
    @Test
    void keysUuidContentTypeAndAnObjectBodyAreChecked() throws Exception {
        HttpRequest.BodyPublisher object = HttpRequest.BodyPublishers.ofString("{\"a\":1}");
        assertEquals(200, send("/publish/pub-c-1/sub-c-1/0/user.a.sync/0?uuid=x", "application/json", object).statusCode());
        assertEquals("[0,\"Invalid Key\"]", send("/publish/not-a-key/sub-c-1/0/user.a.sync/0?uuid=x", "application/json", object).body());
        assertTrue(send("/publish/pub-c-1/nope/0/user.a.sync/0?uuid=x", "application/json", object).body().contains("Invalid Subscribe Key"));
        assertTrue(send("/publish/pub-c-1/sub-c-1/0/user.a.sync/0", "application/json", object).body().contains("Invalid Arguments"),
                "no uuid");
        assertEquals(400, send("/publish/pub-c-1/sub-c-1/0/user.a.sync/0?uuid=x", "text/plain", object).statusCode(), "not JSON by type");
        for (String notAnObject : new String[] { "\"text\"", "42", "null", "[1]" }) {
            assertEquals(400, send("/publish/pub-c-1/sub-c-1/0/user.a.sync/0?uuid=x", "application/json",
                    HttpRequest.BodyPublishers.ofString(notAnObject)).statusCode(), notAnObject);
        }
        assertEquals(403, send("/publish/pub-c-1/sub-c-1/0/user.a.sync/0?uuid=x&signature=v2.abc&timestamp=1", "application/json", object)
                .statusCode(), "a signature to a keyset without a secret key");
    }

    /** The 413 rule counts the body, as sent: a chunked body has no Content-Length to go by. */
    @Test
    void aChunkedBodyOverTheLimitIsTooLargeToo() throws Exception {
        byte[] big = ("{\"x\":\"" + "a".repeat(33_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> answer = send("/publish/pub-c-1/sub-c-1/0/user.a.sync/0?uuid=x", "application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)));
        assertEquals(413, answer.statusCode());
    }

    /** With a secret key, every request needs a valid signature and a current timestamp, as the SDK computes them. */
    @Test
    void aKeysetWithASecretKeyRefusesUnsignedAndMissignedRequests() throws Exception {
        String secret = "sec-c-c3RhbmQtaW4tc2VjcmV0";
        FaultInjector none = new FaultInjector(0, 0);
        none.enabled(false);
        WireMockServer signed = PubNubStandIn.newServer(0, none, PubNubStandIn.Transport.configured(), secret);
        signed.start();
        try {
            String base = PubNubStandIn.Transport.configured().origin(signed);
            String path = "/publish/pub-c-1/sub-c-1/0/user.a.sync/0";
            String body = "{\"a\":1}";
            long now = System.currentTimeMillis() / 1000;
            java.util.Map<String, String> params = new java.util.LinkedHashMap<>(java.util.Map.of("uuid", "x", "store", "1"));
            String good = com.pubnub.internal.PubNubUtil.INSTANCE.generateSignature(path, params, "POST", body, (int) now, "sub-c-1", "pub-c-1", secret);
            java.util.function.Function<String, Integer> status = query -> {
                try {
                    return HTTP.send(HttpRequest.newBuilder(URI.create(base + path + "?" + query)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            assertEquals(200, status.apply("uuid=x&store=1&timestamp=" + now + "&signature=" + java.net.URLEncoder.encode(good, StandardCharsets.UTF_8)));
            assertEquals(403, status.apply("uuid=x&store=1"), "unsigned");
            assertEquals(403, status.apply("uuid=x&store=1&timestamp=" + now + "&signature=v2.forged"), "missigned");
            assertEquals(403, status.apply("uuid=x&store=1&timestamp=" + (now - 3600) + "&signature="
                    + java.net.URLEncoder.encode(good, StandardCharsets.UTF_8)), "an hour-old timestamp");
        } finally {
            signed.stop();
        }
    }

    @Test
    void anythingButAPublishIsAnInvalidArgument() throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/time/0")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, answer.statusCode());
    }
}
