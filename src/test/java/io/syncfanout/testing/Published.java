package io.syncfanout.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * One publish the stand-in received, read back as a subscriber would: the channel from the path,
 * the message from the body.
 */
public record Published(String channel, String rawPath, String query, JsonNode message, int bytes, long loggedAtNanos) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static List<Published> all(WireMockServer server) {
        List<Published> published = new ArrayList<>();
        List<LoggedRequest> requests = new ArrayList<>(server.findAll(postRequestedFor(urlPathMatching(PubNubStandIn.PUBLISH_PATH))));
        requests.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        long i = 0;
        for (LoggedRequest request : requests) {
            String url = request.getUrl();
            int q = url.indexOf('?');
            String path = q < 0 ? url : url.substring(0, q);
            String[] segments = path.split("/");
            String channel = URLDecoder.decode(segments[5], StandardCharsets.UTF_8);
            try {
                published.add(new Published(channel, path, q < 0 ? "" : url.substring(q + 1),
                        JSON.readTree(request.getBody()), request.getBody().length, i++));
            } catch (Exception e) {
                throw new IllegalStateException("the stand-in got a body that is not JSON: " + request.getBodyAsString(), e);
            }
        }
        return published;
    }

    /**
     * Every publish the stand-in received, each asserted to have arrived once: where nothing failed or
     * was retried, a publish sent twice is a defect, however harmless subscribers make it.
     */
    public static List<Published> exactlyOnce(WireMockServer server) {
        List<Published> all = all(server);
        java.util.Map<String, Long> counts = all.stream().collect(java.util.stream.Collectors.groupingBy(
                p -> p.channel() + " " + p.message().path("message_id").asText(), java.util.stream.Collectors.counting()));
        List<String> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey() + " ×" + e.getValue()).toList();
        if (!twice.isEmpty()) {
            throw new AssertionError("published more than once: " + twice);
        }
        return all;
    }

    /**
     * The publishes as subscribers see them: a publish retried after a timeout may arrive twice,
     * and subscribers drop the second by {@code message_id}. Only where retries are expected.
     */
    public static List<Published> distinct(WireMockServer server) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return all(server).stream().filter(p -> seen.add(p.channel() + "\n" + p.message().path("message_id").asText())).toList();
    }

    /** The items this publish carried: the message itself, or the envelope's {@code messages}. */
    public List<JsonNode> items() {
        List<JsonNode> items = new ArrayList<>();
        if ("batch".equals(message.path("type").asText())) {
            message.path("messages").forEach(items::add);
        } else {
            items.add(message);
        }
        return items;
    }

    public boolean isEnvelope() {
        return "batch".equals(message.path("type").asText());
    }
}
