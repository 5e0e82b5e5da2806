package io.syncfanout.record;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

/**
 * Reads one SQS message body, checks it against the contract (section 1 and amendment 5: what
 * section 1 says and nothing more) and writes the item to publish, in one pass over the body.
 * <p>
 * The item is the body copied token by token: {@code user_id} left out, {@code message_id} and
 * {@code operation_type} added where absent, and every other value written as it was read. Numbers
 * keep their exact text ({@code 19.999999999999999999}, {@code 1e400}) and strings every code point
 * (amendment 4): nothing goes through a {@code double} or a tree on the way.
 * <p>
 * Every rejection says which field broke which rule, in words an on-call engineer can act on
 * without opening the code, and never quotes the record's own text: reasons reach the log, bodies
 * must not (a body is the user's data; the message itself waits in the queue or its DLQ).
 */
@Singleton
public class RecordReader {

    static final int MAX_USER_ID = 82;
    static final int MAX_DEVICE_ID = 128;
    static final int MAX_MESSAGE_ID = 128;
    /** Amendment 5: {@code operation_type} and {@code sent_at} are strings of at most 256 characters. */
    static final int MAX_PASSED_THROUGH = 256;
    static final int MAX_CONTENT_ID = 256;
    static final int MAX_UNIQUE_TAG = 128;
    static final int MAX_STATE = 32;
    static final long MAX_UINT32 = 4_294_967_295L;
    /** Amendment 16: the JSON parser's own limits, announced; within them section 1 alone decides. */
    static final int MAX_NESTING = 1_000;
    static final int MAX_NUMBER_LENGTH = 1_000;

    /** The fields section 1 gives rules for; every other field is passed through unread. */
    private static final Set<String> CONTRACT_FIELDS = Set.of("user_id", "type", "device_id", "timestamp", "message_id",
            "operation_type", "sent_at", "operation", "content_id", "unique_tag", "position_seconds", "duration_seconds", "state");

    private final JsonFactory json = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // A character outside the BMP goes out as its four UTF-8 bytes, not as two escapes.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).maxNumberLength(MAX_NUMBER_LENGTH).build())
            .build();

    public ReadResult read(SqsRecord record) {
        try {
            return readChecked(record);
        } catch (Rejection rejection) {
            return new InvalidRecord(record, rejection.getMessage());
        }
    }

    private ReadResult readChecked(SqsRecord record) {
        String body = record.body();
        if (body == null || body.isEmpty()) {
            throw new Rejection("body is empty; expected a JSON object");
        }
        ByteArrayBuilder itemJson = new ByteArrayBuilder(body.length() + 64);
        Checked checked;
        try (JsonParser parser = json.createParser(body); JsonGenerator out = json.createGenerator(itemJson)) {
            Fields fields = copyMembersWithoutUserId(parser, out);
            checked = check(record, fields, out);
            out.writeEndObject();
        } catch (JsonGenerationException e) {
            // A lone UTF-16 surrogate (a "\ud800" escape) survives parsing but has no UTF-8 form.
            throw new Rejection("body cannot be encoded as UTF-8 JSON");
        } catch (JsonProcessingException e) {
            throw new Rejection("body is not valid JSON: " + whyNotJson(e));
        } catch (IOException e) {
            throw new Rejection("body could not be read (" + e.getClass().getSimpleName() + ")");
        }
        return new SyncItem(record, checked.channel(), checked.type(), checked.messageId(), checked.timestamp(), checked.deviceId(),
                checked.contentId(), itemJson.toByteArray());
    }

    /** What checking a body established, before its item is complete. */
    private record Checked(String channel, UpdateType type, String messageId, long timestamp, String deviceId, String contentId) {
    }

    /**
     * Checks the contract's own fields and adds to the open item what a producer may leave out:
     * {@code message_id} (the SQS messageId) and {@code operation_type}.
     */
    private static Checked check(SqsRecord record, Fields fields, JsonGenerator out) throws IOException {
        String userId = fields.requiredString("user_id", MAX_USER_ID);
        checkChannelSafe(userId);
        String typeName = fields.requiredString("type", Integer.MAX_VALUE);
        UpdateType type = UpdateType.fromWire(typeName).orElseThrow(() -> new Rejection(
                "type is another string; expected 'watchlist_update' or 'progress_update'"));
        String deviceId = fields.requiredString("device_id", MAX_DEVICE_ID);
        long timestamp = fields.timestamp();
        String messageId = fields.optionalString("message_id", 1, MAX_MESSAGE_ID);
        String operationType = fields.optionalString("operation_type", 0, MAX_PASSED_THROUGH);
        fields.optionalString("sent_at", 0, MAX_PASSED_THROUGH);

        String contentId = fields.requiredString("content_id", MAX_CONTENT_ID);
        String defaultOperationType;
        if (type == UpdateType.WATCHLIST_UPDATE) {
            String operation = fields.requiredString("operation", Integer.MAX_VALUE);
            if (!operation.equals("Add") && !operation.equals("Remove")) {
                throw new Rejection("operation is another string; expected 'Add' or 'Remove' (case matters)");
            }
            fields.requiredString("unique_tag", MAX_UNIQUE_TAG);
            defaultOperationType = operation.equals("Add") ? "watchlist_add" : "watchlist_remove";
        } else {
            fields.uint32("position_seconds");
            fields.uint32("duration_seconds");
            fields.requiredString("state", MAX_STATE);
            defaultOperationType = "progress_update";
        }

        if (messageId == null) {
            messageId = record.messageId();
            out.writeStringField("message_id", messageId);
        }
        if (operationType == null) {
            out.writeStringField("operation_type", defaultOperationType);
        }
        return new Checked("user." + userId + ".sync", type, messageId, timestamp, deviceId, contentId);
    }

    /**
     * Copies the body's members to {@code out}, all but {@code user_id}, and keeps the contract's own
     * fields for checking. The item's object is left open.
     */
    private static Fields copyMembersWithoutUserId(JsonParser parser, JsonGenerator out) throws IOException {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new Rejection("body is " + describe(first) + "; expected a JSON object");
        }
        Fields fields = new Fields();
        out.writeStartObject();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (CONTRACT_FIELDS.contains(name)) {
                fields.put(name, value, value.isScalarValue() ? parser.getText() : null);
            }
            if (name.equals("user_id")) {
                parser.skipChildren();
            } else {
                out.writeFieldName(name);
                copy(parser, out);
            }
        }
        if (parser.nextToken() != null) {
            throw new Rejection("body has content after the JSON object");
        }
        return fields;
    }

    /** One value, exactly: numbers by their text, so no digit is lost to a double. */
    private static void copy(JsonParser parser, JsonGenerator out) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                out.writeStartObject();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    out.writeFieldName(parser.currentName());
                    parser.nextToken();
                    copy(parser, out);
                }
                out.writeEndObject();
            }
            case START_ARRAY -> {
                out.writeStartArray();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    copy(parser, out);
                }
                out.writeEndArray();
            }
            case VALUE_STRING -> out.writeString(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.writeNumber(parser.getText());
            case VALUE_TRUE -> out.writeBoolean(true);
            case VALUE_FALSE -> out.writeBoolean(false);
            case VALUE_NULL -> out.writeNull();
            default -> throw new Rejection("body has an unexpected " + parser.currentToken());
        }
    }

    /** PubNub forbids these in channel names; a '.' would also put the channel below {@code user.*}. */
    private static void checkChannelSafe(String userId) {
        for (int i = 0; i < userId.length(); ) {
            int c = userId.codePointAt(i);
            String what = null;
            if (".,:*/\\".indexOf(c) >= 0) {
                what = "'" + (char) c + "'";
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                what = String.format("whitespace (U+%04X)", c);
            } else if (Character.isISOControl(c)) {
                what = String.format("a control character (U+%04X)", c);
            } else if (Character.getType(c) == Character.SURROGATE) {
                // codePointAt returns a surrogate only when it is unpaired; a paired one is a whole
                // character outside the Basic Multilingual Plane, which is allowed (amendment 5).
                what = String.format("an unpaired surrogate (U+%04X)", c);
            }
            if (what != null) {
                throw new Rejection("user_id contains " + what + " (not allowed in a PubNub channel name)");
            }
            i += Character.charCount(c);
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "empty";
        }
        return switch (token) {
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_STRING -> "a string";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> token.name().toLowerCase();
        };
    }

    /**
     * What is wrong with a body that does not parse, by the rule it breaks and where, never by its
     * text: Jackson's own messages quote the offending tokens, and a reason reaches the log.
     */
    private static String whyNotJson(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String why;
        if (e instanceof StreamConstraintsException && message.contains("nesting depth")) {
            why = "it nests deeper than the parser's limit of " + String.format("%,d", MAX_NESTING) + " levels";
        } else if (e instanceof StreamConstraintsException && message.contains("Number value length")) {
            why = "a number is longer than the parser's limit of " + String.format("%,d", MAX_NUMBER_LENGTH) + " characters";
        } else if (e instanceof StreamConstraintsException) {
            why = "it exceeds one of the parser's size limits";
        } else if (message.startsWith("Duplicate field")) {
            why = "an object has the same field twice";
        } else if (e instanceof JsonEOFException) {
            why = "it ends before the JSON is complete";
        } else {
            why = "unexpected text";
        }
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? why : why + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** The contract's own fields as the body had them: each one's token and, for a scalar, its text. */
    private static final class Fields {
        private record Value(JsonToken token, String text) {
        }

        private final Map<String, Value> values = new HashMap<>();

        void put(String name, JsonToken token, String text) {
            values.put(name, new Value(token, text));
        }

        String requiredString(String field, int maxLength) {
            String value = optionalString(field, 1, maxLength);
            if (value == null) {
                throw new Rejection(field + " is missing");
            }
            return value;
        }

        /** The string, or null when absent; lengths count characters (code points), not UTF-16 units. */
        String optionalString(String field, int minLength, int maxLength) {
            Value value = values.get(field);
            if (value == null) {
                return null;
            }
            if (value.token() != JsonToken.VALUE_STRING) {
                throw new Rejection(field + " is " + describe(value.token()) + "; expected a string");
            }
            String text = value.text();
            int length = text.codePointCount(0, text.length());
            if (length < minLength) {
                throw new Rejection(field + " is empty");
            }
            if (length > maxLength) {
                throw new Rejection(field + " is " + length + " characters; at most " + maxLength + " allowed");
            }
            return text;
        }

        long timestamp() {
            String text = integer("timestamp", "; expected an integer (the hybrid logical clock)");
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new Rejection("timestamp is out of range (" + text.length() + " characters); expected a signed 64-bit integer");
            }
            if (value <= 0) {
                throw new Rejection("timestamp is " + (value == 0 ? "zero" : "negative") + "; expected a positive integer");
            }
            return value;
        }

        void uint32(String field) {
            String text = integer(field, "; expected an integer");
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                value = -1;
            }
            if (value < 0 || value > MAX_UINT32) {
                throw new Rejection(field + " is " + (text.startsWith("-") ? "negative" : "above " + MAX_UINT32) + "; expected 0 to "
                        + MAX_UINT32);
            }
        }

        private String integer(String field, String expected) {
            Value value = values.get(field);
            if (value == null) {
                throw new Rejection(field + " is missing");
            }
            if (value.token() != JsonToken.VALUE_NUMBER_INT) {
                throw new Rejection(field + " is " + describe(value.token()) + expected);
            }
            return value.text();
        }
    }

    /** A broken rule; unchecked so that it can leave a lambda, never leaves this class. */
    private static final class Rejection extends RuntimeException {
        Rejection(String reason) {
            super(reason, null, false, false);
        }
    }
}
