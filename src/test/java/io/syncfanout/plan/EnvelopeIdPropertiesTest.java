package io.syncfanout.plan;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import io.syncfanout.record.SqsRecord;
import io.syncfanout.record.SyncItem;
import io.syncfanout.record.UpdateType;

/** Amendment 6 as a property: envelopes whose item id lists differ never share an id. */
class EnvelopeIdPropertiesTest {

    /** Ids from a small alphabet with the separators a naive join would use, so that joins collide often. */
    static Gen<List<String>> idLists() {
        Gen<String> id = lists().of(arbitrary().pick("a", "b", "\n", ",", "\u0000", "é", "🎬")).ofSizeBetween(1, 4)
                .map(parts -> String.join("", parts));
        return lists().of(id).ofSizeBetween(2, 5);
    }

    private static List<PlannedItem> items(List<String> ids) {
        List<PlannedItem> items = new ArrayList<>();
        for (String id : ids) {
            SqsRecord record = new SqsRecord(items.size(), "m" + items.size(), null, "{}");
            items.add(PlannedItem.of(new SyncItem(record, "user.a.sync", UpdateType.WATCHLIST_UPDATE, id, 1, "c", new byte[0])));
        }
        return items;
    }

    @Test
    void listsThatJoinToTheSameTextGetDifferentIds() {
        qt().withExamples(1_000).forAll(idLists())
                .assuming(ids -> ids.stream().anyMatch(id -> id.contains("\n")))
                .checkAssert(ids -> {
                    // The same ids joined by newlines and split again: another list with the same join.
                    List<String> resplit = Arrays.asList(String.join("\n", ids).split("\n", -1));
                    if (!resplit.equals(ids) && resplit.stream().noneMatch(String::isEmpty)) {
                        assertNotEquals(BatchPacker.envelopeId(items(ids)), BatchPacker.envelopeId(items(resplit)),
                                () -> ids + " and " + resplit);
                    }
                });
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
