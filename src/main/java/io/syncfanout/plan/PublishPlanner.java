package io.syncfanout.plan;

import java.util.ArrayList;
import java.util.Comparator;
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
 * channel, repeated {@code message_id}s published once, progress updates coalesced to the newest,
 * in record order.
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
        Map<String, List<SyncItem>> byChannel = new LinkedHashMap<>();
        for (ReadResult result : results) {
            if (result instanceof InvalidRecord rejected) {
                invalid.add(rejected);
            } else if (result instanceof SyncItem item) {
                if (packer.fitsAlone(item.bytes())) {
                    byChannel.computeIfAbsent(item.channel(), c -> new ArrayList<>()).add(item);
                } else {
                    invalid.add(new InvalidRecord(item.source(), "item is " + item.bytes()
                            + " bytes as JSON; one publish carries at most " + packer.maxBytes() + " (sync.batch.max-bytes)"));
                }
            }
        }

        Map<SyncItem, Entry> entries = new IdentityHashMap<>();
        int duplicates = 0;
        for (List<SyncItem> items : byChannel.values()) {
            Map<String, Entry> byMessageId = new HashMap<>();
            for (SyncItem item : items) {
                Entry first = byMessageId.get(item.messageId());
                if (first == null) {
                    Entry entry = new Entry(item);
                    byMessageId.put(item.messageId(), entry);
                    entries.put(item, entry);
                } else {
                    first.duplicates.add(item);
                    duplicates++;
                }
            }
        }

        int superseded = coalesceProgress ? coalesce(results, entries) : 0;

        List<ChannelQueue> channels = new ArrayList<>();
        Map<String, List<PlannedItem>> planned = new LinkedHashMap<>();
        byChannel.keySet().forEach(channel -> planned.put(channel, new ArrayList<>()));
        entries.values().stream()
                .filter(entry -> entry.supersededBy == null)
                .sorted(Comparator.comparingInt(entry -> entry.item.source().position()))
                .forEach(entry -> planned.get(entry.item.channel()).add(entry.toPlannedItem()));
        planned.forEach((channel, items) -> channels.add(new ChannelQueue(channel, items)));
        return new PublishPlan(channels, invalid, superseded, duplicates);
    }

    /**
     * Keeps, of the progress updates for one channel and content, only the one with the largest
     * HLC (on a tie, the later record). On a FIFO queue only unbroken runs within a message group
     * coalesce: the survivor then takes the run's place, and the group's order holds.
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
                if (candidate.item.timestamp() >= survivor.item.timestamp()) {
                    survivor = candidate; // set is in record order: on a tie the later record wins
                }
            }
            for (Entry entry : set) {
                if (entry != survivor) {
                    entry.supersededBy = survivor;
                    survivor.superseded.add(entry.item);
                    survivor.supersededDuplicates.addAll(entry.duplicates);
                    superseded++;
                }
            }
        }
        return superseded;
    }

    private record ContentKey(String channel, String contentId) {
        static ContentKey of(SyncItem item) {
            return new ContentKey(item.channel(), Objects.requireNonNull(item.contentId()));
        }
    }

    /** Mutable while planning only; what leaves the planner is an immutable {@link PlannedItem}. */
    private static final class Entry {
        final SyncItem item;
        final List<SyncItem> duplicates = new ArrayList<>();
        final List<SyncItem> superseded = new ArrayList<>();
        final List<SyncItem> supersededDuplicates = new ArrayList<>();
        Entry supersededBy;

        Entry(SyncItem item) {
            this.item = item;
        }

        PlannedItem toPlannedItem() {
            List<SyncItem> allDuplicates = new ArrayList<>(duplicates);
            allDuplicates.addAll(supersededDuplicates);
            return new PlannedItem(item, superseded, allDuplicates);
        }
    }
}
