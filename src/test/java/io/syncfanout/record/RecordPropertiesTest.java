package io.syncfanout.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** 0 to 90 code points from every plane (no surrogates: those are another case), allowed or not. */
    static Gen<String> candidateUserIds() {
        Gen<Integer> codePoint = integers().between(0, 0x10FFFF).map(c -> c >= 0xD800 && c <= 0xDFFF ? c + 0x800 : c);
        Gen<Integer> forbidden = arbitrary().pick(List.of((int) '.', (int) ',', (int) ':', (int) '*', (int) '/', (int) '\\', 0x20, 0x09,
                0x0A, 0x85, 0xA0, 0x1680, 0x2007, 0x2028, 0x202F, 0x3000, 0x00, 0x1F, 0x7F, 0x9F));
        Gen<Integer> format = arbitrary().pick(List.of(0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0xE0001));
        Gen<Integer> any = integers().between(0, 9).flatMap(k -> k == 0 ? forbidden : k == 1 ? format : codePoint);
        return lists().of(any).ofSizeBetween(0, 90).map(codePoints -> {
            StringBuilder id = new StringBuilder();
            codePoints.forEach(id::appendCodePoint);
            return id.toString();
        });
    }

    /**
     * Section 1's table, read as written, not as the reader reads it: 1 to 82 characters (code points,
     * amendment 5), none of {@code . , : * / \}, no whitespace (Unicode's White_Space property) and
     * no control character (general category Cc). Format characters (Cf) are allowed.
     */
    static boolean contractAllows(String userId) {
        int length = userId.codePointCount(0, userId.length());
        return length >= 1 && length <= 82 && userId.codePoints().noneMatch(c -> ".,:*/\\".indexOf(c) >= 0 || WHITE_SPACE.contains(c)
                || Character.getType(c) == Character.CONTROL);
    }

    /** Unicode's White_Space property (PropList.txt). */
    private static final java.util.Set<Integer> WHITE_SPACE = java.util.stream.IntStream.concat(
            java.util.stream.IntStream.of(0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000),
            java.util.stream.IntStream.concat(java.util.stream.IntStream.rangeClosed(0x09, 0x0D), java.util.stream.IntStream.rangeClosed(0x2000, 0x200A)))
            .boxed().collect(java.util.stream.Collectors.toSet());

    /** JSON number texts up to the parser's 1,000 characters: signs, long digit runs, fractions, exponents of either case. */
    static Gen<String> numberTexts() {
        Gen<String> digits = lists().of(integers().between(0, 9)).ofSizeBetween(1, 450)
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

    /** Strings of any UTF-16 code units: every plane, and lone surrogates too (JSON carries them as escapes). */
    static Gen<String> texts() {
        return lists().of(integers().between(0, 0x10FFFF)).ofSizeBetween(0, 30).map(codePoints -> {
            StringBuilder text = new StringBuilder();
            codePoints.forEach(text::appendCodePoint); // 0xD800-0xDFFF append as lone surrogates
            return text.toString();
        });
    }

    /** A JSON string literal for any text: lone surrogates and controls as escapes, the rest as they are. */
    static String jsonString(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                    || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) && !paired) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    @Test
    void aUserIdIsAcceptedExactlyWhenTheContractsTableAllowsIt() {
        qt().withExamples(2_000).forAll(candidateUserIds()).checkAssert(userId -> {
            ReadResult result = reader.read(new SqsRecord(0, "m0", null, body(Map.of("user_id", userId))));
            if (contractAllows(userId)) {
                SyncItem item = assertInstanceOf(SyncItem.class, result, () -> ((InvalidRecord) result).reason() + " for " + codePoints(userId));
                assertEquals("user." + userId + ".sync", item.channel());
            } else {
                assertInstanceOf(InvalidRecord.class, result, () -> "accepted " + codePoints(userId));
            }
        });
    }

    private static String codePoints(String text) {
        return text.codePoints().mapToObj(c -> String.format("U+%04X", c)).toList().toString();
    }

    @Test
    void anyOtherFieldPassesThroughWithItsValueAndType() {
        qt().withExamples(500).forAll(numberTexts(), texts()).checkAssert((number, text) -> {
            String body = "{\"number\":" + number + ",\"text\":" + jsonString(text) + "," + body(Map.of()).substring(1);
            ReadResult result = reader.read(new SqsRecord(0, "m0", null, body));
            SyncItem item = assertInstanceOf(SyncItem.class, result, () -> ((InvalidRecord) result).reason());
            Map<String, String> published = topLevelTexts(item.json());
            assertEquals(number, published.get("number"), "the number's text, digit for digit");
            assertEquals(text, published.get("text"), "the string, code unit for code unit (lone surrogates as escapes)");
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
