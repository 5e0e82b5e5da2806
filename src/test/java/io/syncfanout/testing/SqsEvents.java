package io.syncfanout.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Builds SQS events shaped as Lambda delivers them, for posting to the mock event server. */
public final class SqsEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader EVENT_READER = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES).build().readerFor(SQSEvent.class);
    /** The messageIds' prefix unless a test asks for its own. */
    private static final String ID_PREFIX = "m";

    private final List<Map<String, Object>> records = new ArrayList<>();
    private final String queueArn;
    private final String idPrefix;

    private SqsEvents(String queueArn, String idPrefix) {
        this.queueArn = queueArn;
        this.idPrefix = idPrefix;
    }

    public static SqsEvents standard() {
        return standard(ID_PREFIX);
    }

    /** Records whose messageIds start {@code idPrefix}, told apart from other events' in one process. */
    public static SqsEvents standard(String idPrefix) {
        return new SqsEvents("arn:aws:sqs:eu-west-1:123456789012:sync-updates", idPrefix);
    }

    public static SqsEvents fifo() {
        return new SqsEvents("arn:aws:sqs:eu-west-1:123456789012:sync-updates.fifo", ID_PREFIX);
    }

    /** Adds a record; returns its SQS messageId ({@code <prefix><index>}, {@code m0} by default). */
    public String add(String body) {
        return add(body, null);
    }

    public String add(String body, String messageGroupId) {
        String messageId = idPrefix + records.size();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("ApproximateReceiveCount", "1");
        attributes.put("SentTimestamp", "1764237600000");
        attributes.put("SenderId", "AIDAEXAMPLE");
        attributes.put("ApproximateFirstReceiveTimestamp", "1764237600100");
        if (messageGroupId != null) {
            attributes.put("MessageGroupId", messageGroupId);
            attributes.put("SequenceNumber", "18849496460467696" + String.format("%03d", records.size()));
            attributes.put("MessageDeduplicationId", messageId);
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("messageId", messageId);
        record.put("receiptHandle", "AQEB" + messageId);
        record.put("body", body);
        record.put("attributes", attributes);
        record.put("messageAttributes", Map.of());
        record.put("md5OfBody", md5(body));
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", queueArn);
        record.put("awsRegion", "eu-west-1");
        records.add(record);
        return messageId;
    }

    public int size() {
        return records.size();
    }

    /** Sets a field of a record as Lambda would never write it (null, another value), for hostile input. */
    @SuppressWarnings("unchecked")
    public SqsEvents tamper(String messageId, String field, Object value) {
        for (Map<String, Object> record : records) {
            if (record.get("messageId").equals(messageId)) {
                if (field.startsWith("attributes.")) {
                    ((Map<String, Object>) record.get("attributes")).put(field.substring("attributes.".length()), value);
                } else {
                    record.put(field, value);
                }
            }
        }
        return this;
    }

    /**
     * The event as the function receives it, for calling it directly (several at once, in one process):
     * read from {@link #json()}, whose names Lambda spells its own way ({@code Records}, {@code eventSourceARN}).
     */
    public SQSEvent event() {
        try {
            return EVENT_READER.readValue(json());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String json() {
        try {
            return JSON.writeValueAsString(Map.of("Records", records));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
