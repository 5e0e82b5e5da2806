package io.syncfanout.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import io.syncfanout.record.SqsRecord;
import io.syncfanout.record.SyncItem;
import io.syncfanout.record.UpdateType;

/** Amendment 6 as a property: envelopes whose item id lists differ never share an id. */
class EnvelopeIdPropertiesTest {

    /**
     * Id parts from an alphabet of what could confuse an encoding: separators a naive join would use,
     * bytes that read as a length prefix, a lone surrogate of each kind, and the '?' UTF-8 turns them into.
     */
    private static final String[] PARTS = { "a", "b", "\n", ",", "\u0000", "\u0001", "\u0004", "é", "🎬", "\ud800", "\udc00", "?" };

    /** Ids of at least two parts, so every id has an inner boundary to move. */
    static Gen<List<String>> idLists() {
        Gen<String> id = lists().of(arbitrary().pick(PARTS)).ofSizeBetween(2, 4).map(parts -> String.join("", parts));
        return lists().of(id).ofSizeBetween(2, 5);
    }

    private static List<PlannedItem> items(List<String> ids) {
        List<PlannedItem> items = new ArrayList<>();
        for (String id : ids) {
            SqsRecord record = new SqsRecord(items.size(), "m" + items.size(), null, "{}");
            items.add(PlannedItem.of(new SyncItem(record, "user.a.sync", UpdateType.WATCHLIST_UPDATE, id, 1, "d", "c", new byte[0])));
        }
        return items;
    }

    /**
     * The same text cut into ids differently: the last code unit of id {@code i} moves to the front of
     * id {@code i + 1}. The join is the same, the lists differ, on every example.
     */
    @Test
    void movingABoundaryBetweenTwoIdsChangesTheEnvelopeId() {
        qt().withExamples(1_000).forAll(idLists(), integers().between(0, 3))
                .checkAssert((ids, at) -> {
                    int i = at % (ids.size() - 1);
                    List<String> moved = new ArrayList<>(ids);
                    String left = ids.get(i);
                    moved.set(i, left.substring(0, left.length() - 1));
                    moved.set(i + 1, left.substring(left.length() - 1) + ids.get(i + 1));
                    assertEquals(String.join("", ids), String.join("", moved));
                    assertNotEquals(BatchPacker.envelopeId(items(ids)), BatchPacker.envelopeId(items(moved)), () -> ids + " and " + moved);
                });
    }

    /**
     * One id holding what the encoding writes between two ids (a length prefix, in any order of bytes)
     * never passes for those two ids.
     */
    @Test
    void anIdHoldingALengthPrefixNeverPassesForTwoIds() {
        qt().withExamples(1_000).forAll(idLists())
                .checkAssert(ids -> {
                    String b = ids.get(0);
                    String c = ids.get(1);
                    int length = c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                    String forged = b + new String(new char[] { 0, 0, 0, (char) length }) + c;
                    String forgedUnits = b + new String(new char[] { 0, 0, 0, (char) c.length() }) + c;
                    for (String one : List.of(forged, forgedUnits)) {
                        assertNotEquals(BatchPacker.envelopeId(items(List.of(one))), BatchPacker.envelopeId(items(List.of(b, c))),
                                () -> one + " and " + List.of(b, c));
                    }
                });
    }

    /** Amendment 14 as a property: a lone surrogate, and the '?' UTF-8 would make of it, give different ids. */
    @Test
    void aLoneSurrogateAndTheQuestionMarkUtf8MakesOfItGiveDifferentIds() {
        qt().withExamples(1_000).forAll(idLists())
                .checkAssert(ids -> {
                    List<String> withSurrogate = new ArrayList<>(ids);
                    withSurrogate.set(0, ids.get(0) + "\ud800");
                    List<String> withQuestionMark = new ArrayList<>(ids);
                    withQuestionMark.set(0, ids.get(0) + "?");
                    assertNotEquals(BatchPacker.envelopeId(items(withSurrogate)), BatchPacker.envelopeId(items(withQuestionMark)),
                            () -> withSurrogate + " and " + withQuestionMark);
                });
    }

    /**
     * Why an ill-formed id's length goes in negative: as a positive count of code units, its 12 bytes
     * would read the same as a well-formed 6-byte id, a 4-byte length and a 2-byte id.
     */
    @Test
    void anIllFormedIdNeverPassesForTwoWellFormedOnes() {
        String illFormed = "\ud880\u6162\u6364\u0000\u0002\u7879"; // D8 80 61 62 63 64 00 00 00 02 78 79
        assertNotEquals(BatchPacker.envelopeId(items(List.of(illFormed))), BatchPacker.envelopeId(items(List.of("\u0600abcd", "xy"))));
    }

    @Test
    void wellFormedMeansEverySurrogateIsHalfOfAPair() {
        for (String good : List.of("", "a", "🎬", "a🎬b", "\ud83c\udfac\ud83c\udfac")) {
            org.junit.jupiter.api.Assertions.assertTrue(BatchPacker.isWellFormed(good), good);
        }
        for (String bad : List.of("\ud800", "\udc00", "a\ud800", "\udc00\ud800", "\ud800\ud800", "🎬\udc00")) {
            org.junit.jupiter.api.Assertions.assertFalse(BatchPacker.isWellFormed(bad), bad);
        }
    }

    /** Amendment 14: UTF-8 turns every lone surrogate into '?', so these once shared an envelope id. */
    @Test
    void idsThatDifferOnlyInLoneSurrogatesGetDifferentIds() {
        List<List<String>> lists = List.of(List.of("\ud800", "\udc00"), List.of("\udbff", "?"), List.of("?", "?"),
                List.of("\ud800\udc00"), List.of("\udc00\ud800"), List.of("a\ud800", "b"), List.of("a?", "b"));
        for (List<String> a : lists) {
            for (List<String> b : lists) {
                if (a != b) {
                    assertNotEquals(BatchPacker.envelopeId(items(a)), BatchPacker.envelopeId(items(b)), () -> a + " and " + b);
                }
            }
        }
    }

    @Test
    void anyTwoDifferentListsGetDifferentIds() {
        qt().withExamples(1_000).forAll(idLists(), idLists())
                .assuming((a, b) -> !a.equals(b))
                .checkAssert((a, b) -> assertNotEquals(BatchPacker.envelopeId(items(a)), BatchPacker.envelopeId(items(b)),
                        () -> a + " and " + b));
    }
}
