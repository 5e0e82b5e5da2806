package io.syncfanout.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.pubnub.internal.PubNubUtil;

/**
 * What PubNub checks of a publish before it looks at the message, so a function that gets any of it
 * wrong is refused here as PubNub would refuse it: the keys, a {@code uuid}, a JSON object sent as
 * {@code application/json}, a body within 32 KiB (counted, not taken from {@code Content-Length}), and,
 * when the keyset has a secret key, a valid signature and a current timestamp on every request (the
 * official SDK's {@code PubNubUtil.generateSignature} is the oracle); without one, no signature at all.
 */
public final class PubNubRules implements ResponseDefinitionTransformerV2 {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The keys the stand-in knows: the tests', the local runs', and any of PubNub's own shape. */
    private static final Pattern PUBLISH_KEY = Pattern.compile("pub-c-[A-Za-z0-9-]+|demo|demo-pub|test-pub");
    private static final Pattern SUBSCRIBE_KEY = Pattern.compile("sub-c-[A-Za-z0-9-]+|demo|demo-sub|test-sub");
    private static final int MAX_BODY = 32_768;

    private final String secretKey;

    /** @param secretKey the keyset's secret key, or null for a keyset without one */
    public PubNubRules(String secretKey) {
        this.secretKey = secretKey;
    }

    @Override
    public String getName() {
        return "pubnub-rules";
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        ResponseDefinition normal = serveEvent.getResponseDefinition();
        var request = serveEvent.getRequest();
        String url = request.getUrl();
        if (!"POST".equals(request.getMethod().value()) || !url.startsWith("/publish/")) {
            return normal;
        }
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String[] segments = path.split("/", -1); // "", publish, pub, sub, 0, channel, 0
        if (segments.length != 7 || !segments[4].equals("0") || !segments[6].equals("0") || segments[5].isEmpty()) {
            return invalidArguments("the path is not /publish/{pub_key}/{sub_key}/0/{channel}/0");
        }
        if (!PUBLISH_KEY.matcher(segments[2]).matches()) {
            return PubNubStandIn.pubnub(400, "[0,\"Invalid Key\"]").build();
        }
        if (!SUBSCRIBE_KEY.matcher(segments[3]).matches()) {
            return PubNubStandIn.pubnub(400,
                    "{\"message\":\"Invalid Subscribe Key\",\"error\":true,\"service\":\"Access Manager\",\"status\":400}").build();
        }
        Map<String, String> query = query(q < 0 ? "" : url.substring(q + 1));
        if (query.getOrDefault("uuid", "").isBlank()) {
            return invalidArguments("uuid is required");
        }
        byte[] body = request.getBody();
        if (body != null && body.length > MAX_BODY) {
            return PubNubStandIn.pubnub(413, "{\"status\":413,\"service\":\"Balancer\",\"error\":true,\"message\":\"Request Entity Too Large\"}")
                    .build();
        }
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json") || !isJsonObject(body)) {
            return PubNubStandIn.pubnub(400, "[0,\"Invalid JSON\"]").build();
        }
        String signature = query.get("signature");
        if (secretKey == null) {
            return signature == null ? normal : invalidSignature("a signature, but the keyset has no secret key");
        }
        String timestamp = query.get("timestamp");
        if (signature == null || timestamp == null || !timestamp.matches("\\d{1,12}")
                || Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > 60) {
            return invalidSignature("no signature, or no current timestamp");
        }
        Map<String, String> signed = new LinkedHashMap<>(query);
        signed.remove("signature");
        signed.remove("timestamp");
        String expected = PubNubUtil.INSTANCE.generateSignature(path, signed, "POST", new String(body, StandardCharsets.UTF_8),
                Integer.parseInt(timestamp), segments[3], segments[2], secretKey);
        return expected.equals(signature) ? normal : invalidSignature("the signature does not match");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static boolean isJsonObject(byte[] body) {
        try {
            JsonNode node = body == null ? null : JSON.readTree(body);
            return node != null && node.isObject();
        } catch (Exception notJson) {
            return false;
        }
    }

    private static ResponseDefinition invalidArguments(String why) {
        return PubNubStandIn.pubnub(400, "{\"status\":400,\"error\":true,\"message\":\"Invalid Arguments\",\"service\":\"Balancer\",\"details\":\""
                + why + "\"}").build();
    }

    private static ResponseDefinition invalidSignature(String why) {
        return PubNubStandIn.pubnub(403, "{\"message\":\"Invalid Signature\",\"error\":true,\"service\":\"Access Manager\",\"status\":403,"
                + "\"details\":\"" + why + "\"}").build();
    }
}
