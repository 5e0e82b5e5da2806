package io.syncfanout.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Builds SQS events shaped as Lambda delivers them, for posting to the mock event server. */
public final class SqsEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Map<String, Object>> records = new ArrayList<>();
    private final String queueArn;
    private final String idPrefix;

    private SqsEvents(String queueArn, String idPrefix) {
        this.queueArn = queueArn;
        this.idPrefix = idPrefix;
    }

    public static SqsEvents standard() {
        return standard("m");
    }

    /** Records whose messageIds start {@code idPrefix}, told apart from other events' in one process. */
    public static SqsEvents standard(String idPrefix) {
        return new SqsEvents("arn:aws:sqs:eu-west-1:123456789012:sync-updates", idPrefix);
    }

    public static SqsEvents fifo() {
        return new SqsEvents("arn:aws:sqs:eu-west-1:123456789012:sync-updates.fifo", "m");
    }

    /** Adds a record; returns its SQS messageId ({@code m<index>}). */
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

    /** The event as the function receives it, for calling it directly (several at once, in one process). */
    @SuppressWarnings("unchecked")
    public SQSEvent event() {
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (Map<String, Object> record : records) {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId((String) record.get("messageId"));
            message.setReceiptHandle((String) record.get("receiptHandle"));
            message.setBody((String) record.get("body"));
            message.setAttributes((Map<String, String>) record.get("attributes"));
            message.setMd5OfBody((String) record.get("md5OfBody"));
            message.setEventSource((String) record.get("eventSource"));
            message.setEventSourceArn((String) record.get("eventSourceARN"));
            message.setAwsRegion((String) record.get("awsRegion"));
            messages.add(message);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
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
