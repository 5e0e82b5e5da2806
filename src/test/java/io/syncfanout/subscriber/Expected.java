package io.syncfanout.subscriber;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The state computed straight from a producer's history: every update applied by the same rules a
 * device follows, in the order they were sent, with nothing lost and nothing in between.
 */
public final class Expected {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Expected() {
    }

    /**
     * A device that got every one of these bodies (by SQS messageId) once, exactly as the producer wrote
     * them; a body without {@code message_id} gets its record's messageId, as the contract fills it in.
     */
    public static Device from(Map<String, String> bodiesByMessageId) {
        Device device = new Device();
        for (Map.Entry<String, String> sent : bodiesByMessageId.entrySet()) {
            String body = sent.getValue();
            try {
                com.fasterxml.jackson.databind.node.ObjectNode update = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(body);
                if (!update.has("message_id")) {
                    update.put("message_id", sent.getKey());
                }
                device.receive("user." + update.path("user_id").asText() + ".sync", update);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("not a producer's update: " + body, e);
            }
        }
        return device;
    }
}
