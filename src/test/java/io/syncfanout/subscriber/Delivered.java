package io.syncfanout.subscriber;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * What reached subscribers: every publish the PubNub stand-in accepted (answered 2xx), in the order
 * it accepted them, whether or not the function saw the answer. A publish PubNub refused reached no one.
 */
public record Delivered(String channel, JsonNode message) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static List<Delivered> from(WireMockServer pubnub) {
        List<ServeEvent> events = new ArrayList<>(pubnub.getAllServeEvents());
        java.util.Collections.reverse(events); // WireMock lists the newest first
        List<Delivered> delivered = new ArrayList<>();
        for (ServeEvent event : events) {
            String url = event.getRequest().getUrl();
            int status = event.getResponse() == null ? 0 : event.getResponse().getStatus();
            if (!url.startsWith("/publish/") || status < 200 || status > 299) {
                continue;
            }
            String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
            String channel = URLDecoder.decode(path.split("/")[5], StandardCharsets.UTF_8);
            try {
                delivered.add(new Delivered(channel, JSON.readTree(event.getRequest().getBody())));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("PubNub accepted a body that is not JSON", e);
            }
        }
        return delivered;
    }
}
