package io.syncfanout.plan;

import java.util.ArrayList;
import java.util.List;

import io.syncfanout.record.SqsRecord;
import io.syncfanout.record.SyncItem;

/**
 * One item to publish and every record whose fate is tied to it.
 *
 * @param item what is published
 * @param superseded older progress updates for the same channel and content, not published
 * @param duplicates later records with the same {@code message_id} on the same channel
 */
public record PlannedItem(SyncItem item, List<SyncItem> superseded, List<SyncItem> duplicates) {

    public PlannedItem {
        superseded = List.copyOf(superseded);
        duplicates = List.copyOf(duplicates);
    }

    public static PlannedItem of(SyncItem item) {
        return new PlannedItem(item, List.of(), List.of());
    }

    /** The records this item's publish acknowledges: its own, then those it stands for. */
    public List<SqsRecord> records() {
        List<SqsRecord> records = new ArrayList<>(1 + superseded.size() + duplicates.size());
        records.add(item.source());
        superseded.forEach(s -> records.add(s.source()));
        duplicates.forEach(d -> records.add(d.source()));
        return records;
    }

    /**
     * The records whose place in a FIFO group the item takes: its own and those it superseded.
     * Duplicates ride along but keep no place of their own.
     */
    public List<SqsRecord> placeRecords() {
        List<SqsRecord> records = new ArrayList<>(1 + superseded.size());
        records.add(item.source());
        superseded.forEach(s -> records.add(s.source()));
        return records;
    }

    public int position() {
        return item.source().position();
    }

    public int bytes() {
        return item.bytes();
    }
}
