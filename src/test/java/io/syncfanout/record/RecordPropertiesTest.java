package io.syncfanout.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Amendments 4 and 5 as properties: what the contract allows is accepted, and passes through exactly. */
class RecordPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordReader reader = new RecordReader();

    /** 1 to 82 characters from every plane, none of those section 1 forbids in a user_id. */
    static Gen<String> userIds() {
        return lists().of(integers().between(0x20, 0x10FFFF)).ofSizeBetween(1, 82).map(codePoints -> {
            StringBuilder id = new StringBuilder();
            codePoints.forEach(c -> id.appendCodePoint(allowedInUserId(c) ? c : 0x1F3AC));
            return id.toString();
        });
    }

    static boolean allowedInUserId(int c) {
        return ".,:*/\\".indexOf(c) < 0 && !Character.isWhitespace(c) && !Character.isSpaceChar(c) && !Character.isISOControl(c)
                && Character.getType(c) != Character.SURROGATE;
    }

    /** JSON number texts: signs, long digit runs, fractions, exponents of either case. */
    static Gen<String> numberTexts() {
        Gen<String> digits = lists().of(integers().between(0, 9)).ofSizeBetween(1, 40)
                .map(ds -> ds.stream().map(String::valueOf).reduce("", String::concat));
        Gen<Boolean> flag = booleans().all();
        return in -> {
            String integer = digits.generate(in);
            String text = (flag.generate(in) ? "-" : "") + (integer.length() > 1 ? integer.replaceFirst("^0+(?=.)", "") : integer);
            if (flag.generate(in)) {
                text += "." + digits.generate(in);
            }
            if (flag.generate(in)) {
                text += (flag.generate(in) ? "e" : "E") + (flag.generate(in) ? "-" : "+") + integers().between(0, 999).generate(in);
            }
            return text;
        };
    }

    /** Strings of any code points but lone surrogates, which have no UTF-8 form. */
    static Gen<String> texts() {
        return lists().of(integers().between(0, 0x10FFFF)).ofSizeBetween(0, 30).map(codePoints -> {
            StringBuilder text = new StringBuilder();
            codePoints.forEach(c -> text.appendCodePoint(Character.getType(c) == Character.SURROGATE ? 0xFFFD : c));
            return text.toString();
        });
    }

    @Test
    void anyUserIdTheContractAllowsIsAcceptedWhateverItsPlane() {
        qt().withExamples(500).forAll(userIds()).checkAssert(userId -> {
            ReadResult result = reader.read(new SqsRecord(0, "m0", null, body(Map.of("user_id", userId))));
            SyncItem item = assertInstanceOf(SyncItem.class, result, () -> ((InvalidRecord) result).reason());
            assertEquals("user." + userId + ".sync", item.channel());
        });
    }

    @Test
    void anyOtherFieldPassesThroughWithItsValueAndType() {
        qt().withExamples(500).forAll(numberTexts(), texts()).checkAssert((number, text) -> {
            String body = body(Map.of("text", text)).replaceFirst("\\{", "{\"number\":" + number + ",");
            ReadResult result = reader.read(new SqsRecord(0, "m0", null, body));
            SyncItem item = assertInstanceOf(SyncItem.class, result, () -> ((InvalidRecord) result).reason());
            Map<String, String> published = topLevelTexts(item.json());
            assertEquals(number, published.get("number"), "the number's text, digit for digit");
            assertEquals(text, published.get("text"), "the string, code point for code point");
        });
    }

    /** A valid watchlist update with {@code fields} added or replaced. */
    private static String body(Map<String, String> fields) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("user_id", "u", "type", "watchlist_update", "device_id", "d",
                "timestamp", 7, "operation", "Add", "content_id", "c", "unique_tag", "t"));
        body.putAll(fields);
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each top-level scalar as it is written in the JSON: numbers by their text. */
    private static Map<String, String> topLevelTexts(byte[] json) {
        Map<String, String> texts = new LinkedHashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value.isScalarValue()) {
                    texts.put(name, parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new AssertionError("the item is not JSON: " + e.getMessage());
        }
        return texts;
    }
}
