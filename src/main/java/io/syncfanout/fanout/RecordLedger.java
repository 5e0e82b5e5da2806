package io.syncfanout.fanout;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.syncfanout.plan.PlannedItem;
import io.syncfanout.record.SqsRecord;

/**
 * Where every record of an invocation stands: pending, delivered or failed with a reason. It also
 * keeps the FIFO rule (contract, section 4, after
 * <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">AWS: handling
 * errors for an SQS event source</a>): within a message group, once a record fails, it and every
 * later record of the group fail, and an item waits until the records before it are delivered.
 */
public final class RecordLedger {

    private enum State { PENDING, DELIVERED, FAILED }

    private final SqsRecord[] records;
    private final State[] states;
    private final String[] reasons;
    private final FailureKind[] kinds;
    private final boolean[] outage;
    private final Map<String, int[]> groups = new HashMap<>();
    private final int[] indexInGroup;
    private final Map<String, Integer> deliveredPrefix = new HashMap<>();
    private final List<SqsRecord> failedInOrder = new ArrayList<>();
    private boolean groupFailedSinceLastAsk;

    RecordLedger(List<SqsRecord> all) {
        records = all.toArray(SqsRecord[]::new);
        states = new State[records.length];
        reasons = new String[records.length];
        kinds = new FailureKind[records.length];
        outage = new boolean[records.length];
        indexInGroup = new int[records.length];
        java.util.Arrays.fill(states, State.PENDING);
        Map<String, List<Integer>> members = new HashMap<>();
        for (SqsRecord record : records) {
            if (record.isFifo()) {
                List<Integer> group = members.computeIfAbsent(record.messageGroupId(), g -> new ArrayList<>());
                indexInGroup[record.position()] = group.size();
                group.add(record.position());
            }
        }
        members.forEach((group, positions) -> groups.put(group, positions.stream().mapToInt(Integer::intValue).toArray()));
    }

    void deliver(Collection<SqsRecord> delivered) {
        for (SqsRecord record : delivered) {
            if (states[record.position()] == State.PENDING) {
                states[record.position()] = State.DELIVERED;
            }
        }
    }

    /**
     * Fails the record and, on a FIFO queue, every later record of its group; an invalid record fails
     * alone (amendment 12): it can never be published, so holding its group back gains nothing.
     */
    void fail(SqsRecord record, FailureKind kind, String reason) {
        fail(record, kind, reason, kind == FailureKind.FAILED_FAST || kind == FailureKind.OUT_OF_TIME);
    }

    /**
     * As {@link #fail(SqsRecord, FailureKind, String)}, saying whether it failed for an outage
     * (amendment 20: 5xx, refused or reset connections, no answer, the open circuit, the deadline).
     */
    void fail(SqsRecord record, FailureKind kind, String reason, boolean forOutage) {
        failOne(record.position(), kind, reason, forOutage);
        if (record.isFifo() && kind != FailureKind.INVALID) {
            int[] group = groups.get(record.messageGroupId());
            String cascade = "not published: record " + record.messageId() + " before it in FIFO message group '"
                    + record.messageGroupId() + "' failed";
            // Out of time, the records behind it were out of time too: that is what on-call should read.
            FailureKind behind = kind == FailureKind.OUT_OF_TIME ? FailureKind.OUT_OF_TIME : FailureKind.BEHIND_FAILURE;
            for (int i = indexInGroup[record.position()] + 1; i < group.length; i++) {
                // A later record delivered early (a duplicate riding on an earlier item) is reported
                // failed too: SQS must not see the group advance past a failure.
                if (states[group[i]] != State.FAILED) {
                    states[group[i]] = State.PENDING;
                    failOne(group[i], behind, behind == FailureKind.OUT_OF_TIME ? reason : cascade, behind == FailureKind.OUT_OF_TIME);
                }
            }
            groupFailedSinceLastAsk = true;
        }
    }

    private void failOne(int position, FailureKind kind, String reason, boolean forOutage) {
        if (states[position] != State.FAILED) {
            states[position] = State.FAILED;
            reasons[position] = reason;
            kinds[position] = kind;
            outage[position] = forOutage;
            failedInOrder.add(records[position]);
        }
    }

    boolean isFailed(SqsRecord record) {
        return states[record.position()] == State.FAILED;
    }

    /** True once after any FIFO failure: pending items may now be doomed and need a sweep. */
    boolean takeGroupFailure() {
        boolean failed = groupFailedSinceLastAsk;
        groupFailedSinceLastAsk = false;
        return failed;
    }

    /**
     * Whether {@code item} may go out now, in one publish after {@code before}: every record
     * ahead of its place in a FIFO group is delivered, or goes out ahead of it in that publish.
     */
    boolean mayPublish(PlannedItem item, Set<Integer> before) {
        for (SqsRecord record : item.placeRecords()) {
            if (!record.isFifo()) {
                continue;
            }
            int[] group = groups.get(record.messageGroupId());
            int start = advanceDelivered(record.messageGroupId(), group);
            for (int i = start; i < indexInGroup[record.position()]; i++) {
                int ahead = group[i];
                if (!passed(ahead) && !before.contains(ahead) && !isPlaceOf(item, ahead)) {
                    return false;
                }
            }
        }
        return true;
    }

    private int advanceDelivered(String groupId, int[] group) {
        int prefix = deliveredPrefix.getOrDefault(groupId, 0);
        while (prefix < group.length && passed(group[prefix])) {
            prefix++;
        }
        deliveredPrefix.put(groupId, prefix);
        return prefix;
    }

    /** Whether the group may go on past this record: delivered, or invalid and so failing alone. */
    private boolean passed(int position) {
        return states[position] == State.DELIVERED || kinds[position] == FailureKind.INVALID;
    }

    private static boolean isPlaceOf(PlannedItem item, int position) {
        for (SqsRecord record : item.placeRecords()) {
            if (record.position() == position) {
                return true;
            }
        }
        return false;
    }

    /** Records that failed, in the order they failed. */
    public List<SqsRecord> failed() {
        return List.copyOf(failedInOrder);
    }

    public String reason(SqsRecord record) {
        return reasons[record.position()];
    }

    public FailureKind kind(SqsRecord record) {
        return kinds[record.position()];
    }

    /**
     * Whether the record failed for an outage of PubNub's (amendment 20), so that its redelivery may
     * wait the outage out: never an invalid or refused record, a 429 or an answer that is not PubNub's.
     */
    public boolean failedForOutage(SqsRecord record) {
        return outage[record.position()];
    }

    List<SqsRecord> pending() {
        List<SqsRecord> pending = new ArrayList<>();
        for (int i = 0; i < records.length; i++) {
            if (states[i] == State.PENDING) {
                pending.add(records[i]);
            }
        }
        return pending;
    }
}
