package io.syncfanout.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.syncfanout.config.SyncConfig;
import io.syncfanout.record.InvalidRecord;
import io.syncfanout.record.ReadResult;
import io.syncfanout.record.SqsRecord;
import io.syncfanout.record.SyncItem;

/**
 * Turns the records of one invocation into what each channel gets (contract, section 2): grouped by
 * channel, progress updates coalesced to the newest, then repeated {@code message_id}s published
 * once, in record order.
 */
@Singleton
public class PublishPlanner {

    private final BatchPacker packer;
    private final boolean coalesceProgress;

    @Inject
    public PublishPlanner(BatchPacker packer, SyncConfig config) {
        this(packer, config.coalesceProgress());
    }

    public PublishPlanner(BatchPacker packer, boolean coalesceProgress) {
        this.packer = packer;
        this.coalesceProgress = coalesceProgress;
    }

    public PublishPlan plan(List<ReadResult> results) {
        List<InvalidRecord> invalid = new ArrayList<>();
        Map<SyncItem, Entry> entries = new IdentityHashMap<>();
        List<Entry> inRecordOrder = new ArrayList<>();
        Map<String, List<PlannedItem>> planned = new LinkedHashMap<>();
        for (ReadResult result : results) {
            if (result instanceof InvalidRecord rejected) {
                invalid.add(rejected);
            } else if (result instanceof SyncItem item) {
                if (packer.fitsAlone(item.bytes())) {
                    Entry entry = new Entry(item);
                    entries.put(item, entry);
                    inRecordOrder.add(entry);
                    planned.putIfAbsent(item.channel(), new ArrayList<>());
                } else {
                    invalid.add(new InvalidRecord(item.source(), "item is " + item.bytes()
                            + " bytes as JSON; one publish carries at most " + packer.maxBytes() + " (sync.batch.max-bytes)"));
                }
            }
        }

        int superseded = coalesceProgress ? coalesce(results, entries) : 0;
        int duplicates = mergeRepeatedMessageIds(inRecordOrder);

        inRecordOrder.stream()
                .filter(Entry::isPublished)
                .forEach(entry -> planned.get(entry.item.channel()).add(entry.toPlannedItem()));
        List<ChannelQueue> channels = new ArrayList<>();
        planned.forEach((channel, items) -> channels.add(new ChannelQueue(channel, items)));
        return new PublishPlan(channels, invalid, superseded, duplicates);
    }

    /**
     * Items with the same {@code message_id} on one channel are published once and share fate. This
     * runs after coalescing (amendment 8), so the newest progress update of a title is the one
     * published even when a producer reused a {@code message_id}.
     */
    private static int mergeRepeatedMessageIds(List<Entry> inRecordOrder) {
        Map<String, Map<String, Entry>> firstByChannel = new HashMap<>();
        int duplicates = 0;
        for (Entry entry : inRecordOrder) {
            if (entry.supersededBy != null) {
                continue;
            }
            Entry first = firstByChannel.computeIfAbsent(entry.item.channel(), c -> new HashMap<>())
                    .putIfAbsent(entry.item.messageId(), entry);
            if (first != null) {
                entry.duplicateOf = first;
                first.duplicates.add(entry.item);
                first.duplicates.addAll(entry.superseded);
                duplicates++;
            }
        }
        return duplicates;
    }

    /**
     * Keeps, of the progress updates for one channel and content, only the newest by amendment 19's
     * order ({@link ProgressOrder}: timestamp, then device_id, then message_id), whatever order the
     * records came in; where all three are equal, the later record. On a FIFO queue only unbroken runs
     * within a message group coalesce: the survivor then takes the run's place, and the group's order holds.
     */
    private int coalesce(List<ReadResult> results, Map<SyncItem, Entry> entries) {
        List<List<Entry>> sets = new ArrayList<>();
        Map<ContentKey, List<Entry>> standard = new LinkedHashMap<>();
        Map<String, List<Entry>> openRunByGroup = new HashMap<>();
        for (ReadResult result : results) {
            SqsRecord source = result.source();
            Entry entry = result instanceof SyncItem item ? entries.get(item) : null;
            boolean progress = entry != null && entry.item.isProgress();
            if (!source.isFifo()) {
                if (progress) {
                    standard.computeIfAbsent(ContentKey.of(entry.item), k -> new ArrayList<>()).add(entry);
                }
                continue;
            }
            List<Entry> run = openRunByGroup.get(source.messageGroupId());
            if (run != null && progress && ContentKey.of(run.get(0).item).equals(ContentKey.of(entry.item))) {
                run.add(entry);
            } else if (progress) {
                List<Entry> fresh = new ArrayList<>();
                fresh.add(entry);
                sets.add(fresh);
                openRunByGroup.put(source.messageGroupId(), fresh);
            } else {
                openRunByGroup.remove(source.messageGroupId()); // anything else in the group breaks the run
            }
        }
        sets.addAll(standard.values());

        int superseded = 0;
        for (List<Entry> set : sets) {
            Entry survivor = set.get(0);
            for (Entry candidate : set) {
                if (ProgressOrder.OLDEST_FIRST.compare(candidate.item, survivor.item) >= 0) {
                    survivor = candidate; // set is in record order: where the order ties, the later record
                }
            }
            for (Entry entry : set) {
                if (entry != survivor) {
                    entry.supersededBy = survivor;
                    survivor.superseded.add(entry.item);
                    superseded++;
                }
            }
        }
        return superseded;
    }

    /**
     * A channel and a title. Its equals and hashCode are written out: a record's generated ones go
     * through method handles, which the native image interprets, and this key is hashed for every
     * progress update (a sixth of the native function's CPU on W1 when it was a plain record).
     */
    private record ContentKey(String channel, String contentId) {
        static ContentKey of(SyncItem item) {
            return new ContentKey(item.channel(), Objects.requireNonNull(item.contentId()));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ContentKey key && channel.equals(key.channel) && contentId.equals(key.contentId);
        }

        @Override
        public int hashCode() {
            return 31 * channel.hashCode() + contentId.hashCode();
        }
    }

    /** Mutable while planning only; what leaves the planner is an immutable {@link PlannedItem}. */
    private static final class Entry {
        final SyncItem item;
        final List<SyncItem> superseded = new ArrayList<>();
        final List<SyncItem> duplicates = new ArrayList<>();
        Entry supersededBy;
        Entry duplicateOf;

        Entry(SyncItem item) {
            this.item = item;
        }

        boolean isPublished() {
            return supersededBy == null && duplicateOf == null;
        }

        PlannedItem toPlannedItem() {
            return new PlannedItem(item, superseded, duplicates);
        }
    }
}
