package io.syncfanout.record;

import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads one SQS message body and checks it against the contract, section 1. Every rejection says
 * which field broke which rule, in words an on-call engineer can act on without opening the code.
 */
@Singleton
public class RecordReader {

    static final int MAX_USER_ID = 82;
    static final int MAX_DEVICE_ID = 128;
    static final int MAX_MESSAGE_ID = 128;
    static final int MAX_OPERATION_TYPE = 128;
    static final int MAX_CONTENT_ID = 256;
    static final int MAX_UNIQUE_TAG = 128;
    static final int MAX_STATE = 32;
    static final long MAX_UINT32 = 4_294_967_295L;
    /** Sync updates are flat; anything this deep is hostile, and deep trees cost stack. */
    static final int MAX_NESTING = 32;

    private final ObjectMapper mapper;

    public RecordReader() {
        JsonFactory factory = JsonFactory.builder()
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    public ReadResult read(SqsRecord record) {
        try {
            return readChecked(record);
        } catch (Rejection rejection) {
            return new InvalidRecord(record, rejection.getMessage());
        }
    }

    private ReadResult readChecked(SqsRecord record) throws Rejection {
        ObjectNode body = parse(record.body());

        String userId = requiredString(body, "user_id", MAX_USER_ID);
        checkChannelSafe(userId);
        String typeName = requiredString(body, "type", Integer.MAX_VALUE);
        UpdateType type = UpdateType.fromWire(typeName).orElseThrow(() -> new Rejection(
                "type is '" + abbreviate(typeName) + "'; expected 'watchlist_update' or 'progress_update'"));
        requiredString(body, "device_id", MAX_DEVICE_ID);
        long timestamp = timestamp(body);
        Optional<String> messageId = optionalString(body, "message_id", MAX_MESSAGE_ID);
        Optional<String> operationType = optionalString(body, "operation_type", MAX_OPERATION_TYPE);
        optionalString(body, "sent_at", Integer.MAX_VALUE).ifPresent(RecordReader::checkInstant);

        String contentId = requiredString(body, "content_id", MAX_CONTENT_ID);
        String defaultOperationType;
        if (type == UpdateType.WATCHLIST_UPDATE) {
            String operation = requiredString(body, "operation", Integer.MAX_VALUE);
            if (!operation.equals("Add") && !operation.equals("Remove")) {
                throw new Rejection("operation is '" + abbreviate(operation) + "'; expected 'Add' or 'Remove'");
            }
            requiredString(body, "unique_tag", MAX_UNIQUE_TAG);
            defaultOperationType = operation.equals("Add") ? "watchlist_add" : "watchlist_remove";
        } else {
            uint32(body, "position_seconds");
            uint32(body, "duration_seconds");
            requiredString(body, "state", MAX_STATE);
            defaultOperationType = "progress_update";
        }

        String itemMessageId = messageId.orElse(record.messageId());
        body.remove("user_id");
        body.put("message_id", itemMessageId);
        body.put("operation_type", operationType.orElse(defaultOperationType));
        byte[] json = serialize(body);
        return new SyncItem(record, "user." + userId + ".sync", type, itemMessageId, timestamp, contentId, json);
    }

    private ObjectNode parse(String text) throws Rejection {
        if (text == null || text.isEmpty()) {
            throw new Rejection("body is empty; expected a JSON object");
        }
        JsonNode node;
        try (JsonParser parser = mapper.createParser(text)) {
            node = mapper.readTree(parser);
            if (node != null && parser.nextToken() != null) {
                throw new Rejection("body has content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new Rejection("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Rejection("body could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new Rejection("body is " + describe(node) + "; expected a JSON object");
        }
        return (ObjectNode) node;
    }

    private byte[] serialize(ObjectNode item) throws Rejection {
        try {
            return mapper.writeValueAsBytes(item);
        } catch (JsonProcessingException e) {
            // A lone UTF-16 surrogate survives parsing but has no UTF-8 form.
            throw new Rejection("body cannot be encoded as UTF-8 JSON: " + e.getOriginalMessage());
        }
    }

    private static String requiredString(ObjectNode body, String field, int maxLength) throws Rejection {
        return optionalString(body, field, maxLength).orElseThrow(() -> new Rejection(field + " is missing"));
    }

    private static Optional<String> optionalString(ObjectNode body, String field, int maxLength) throws Rejection {
        JsonNode node = body.get(field);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new Rejection(field + " is " + describe(node) + "; expected a string");
        }
        String value = node.textValue();
        int length = value.codePointCount(0, value.length());
        if (length == 0) {
            throw new Rejection(field + " is empty");
        }
        if (length > maxLength) {
            throw new Rejection(field + " is " + length + " characters; at most " + maxLength + " allowed");
        }
        return Optional.of(value);
    }

    /** PubNub forbids these in channel names; a '.' would also put the channel below {@code user.*}. */
    private static void checkChannelSafe(String userId) throws Rejection {
        for (int i = 0; i < userId.length(); ) {
            int c = userId.codePointAt(i);
            String what = null;
            if (".,:*/\\".indexOf(c) >= 0) {
                what = "'" + (char) c + "'";
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                what = String.format("whitespace (U+%04X)", c);
            } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                what = String.format("a control character (U+%04X)", c);
            } else if (Character.isSurrogate((char) c)) {
                what = String.format("an unpaired surrogate (U+%04X)", c);
            }
            if (what != null) {
                throw new Rejection("user_id contains " + what + " (not allowed in a PubNub channel name)");
            }
            i += Character.charCount(c);
        }
    }

    private static long timestamp(ObjectNode body) throws Rejection {
        JsonNode node = body.get("timestamp");
        if (node == null) {
            throw new Rejection("timestamp is missing");
        }
        if (!node.isIntegralNumber()) {
            throw new Rejection("timestamp is " + describe(node) + "; expected an integer (the hybrid logical clock)");
        }
        if (!node.canConvertToLong()) {
            throw new Rejection("timestamp " + abbreviate(node.asText()) + " is out of range; expected a signed 64-bit integer");
        }
        long value = node.longValue();
        if (value <= 0) {
            throw new Rejection("timestamp is " + value + "; expected a positive integer");
        }
        return value;
    }

    private static void uint32(ObjectNode body, String field) throws Rejection {
        JsonNode node = body.get(field);
        if (node == null) {
            throw new Rejection(field + " is missing");
        }
        if (!node.isIntegralNumber()) {
            throw new Rejection(field + " is " + describe(node) + "; expected an integer");
        }
        if (!node.canConvertToLong() || node.longValue() < 0 || node.longValue() > MAX_UINT32) {
            throw new Rejection(field + " is " + abbreviate(node.asText()) + "; expected 0 to " + MAX_UINT32);
        }
    }

    private static void checkInstant(String value) {
        try {
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value);
        } catch (DateTimeParseException e) {
            throw new Rejection("sent_at is '" + abbreviate(value) + "'; expected an ISO-8601 instant such as 2026-11-27T10:00:00.123Z");
        }
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "empty";
        }
        return switch (node.getNodeType()) {
            case NULL -> "null";
            case BOOLEAN -> "a boolean";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a decimal number";
            case STRING -> "a string";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    /** Keeps a log line short whatever a producer put in a field. */
    private static String abbreviate(String value) {
        String printable = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .limit(41)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.codePointCount(0, printable.length()) > 40
                ? printable.substring(0, printable.offsetByCodePoints(0, 40)) + "…"
                : printable;
    }

    /** A broken rule; unchecked so that it can leave a lambda, never leaves this class. */
    private static final class Rejection extends RuntimeException {
        Rejection(String reason) {
            super(reason, null, false, false);
        }
    }
}
