package io.syncfanout.fanout;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import io.syncfanout.config.SyncConfig;
import io.syncfanout.plan.BatchPacker;
import io.syncfanout.plan.ChannelBatch;
import io.syncfanout.plan.ChannelQueue;
import io.syncfanout.plan.PlannedItem;
import io.syncfanout.plan.PublishPlan;
import io.syncfanout.pubnub.Deadline;
import io.syncfanout.pubnub.PubNubGateway;
import io.syncfanout.pubnub.PublishFailure;
import io.syncfanout.record.InvalidRecord;
import io.syncfanout.record.SqsRecord;

/**
 * Publishes a plan: channels at once up to {@code sync.publish.concurrency}, each channel's
 * publishes one after another so its items keep their order, FIFO groups in order, and no publish
 * started once the deadline leaves no room for it.
 */
@Singleton
public class PublishDispatcher {

    private static final Logger LOG = Logger.getLogger(PublishDispatcher.class);

    private final PubNubGateway gateway;
    private final BatchPacker packer;
    private final int concurrency;
    private final int maxMessages;
    private final Duration attemptNeeds;
    private final long attemptTimeoutMs;

    public PublishDispatcher(PubNubGateway gateway, BatchPacker packer, SyncConfig config) {
        this.gateway = gateway;
        this.packer = packer;
        this.concurrency = config.publish().concurrency();
        this.maxMessages = config.batch().maxMessages();
        this.attemptTimeoutMs = config.publish().attemptTimeoutMs();
        this.attemptNeeds = config.publish().attemptNeeds();
    }

    /** Publishes what it can and returns where every record ended. */
    DispatchResult dispatch(List<SqsRecord> all, PublishPlan plan, Deadline deadline) {
        RecordLedger ledger = new RecordLedger(all);
        for (InvalidRecord invalid : plan.invalid()) {
            ledger.fail(invalid.source(), invalid.reason());
        }
        Run run = new Run(ledger, deadline);
        plan.channels().forEach(queue -> run.channels.add(new Channel(queue)));
        run.idle.addAll(run.channels);
        run.go();
        return new DispatchResult(ledger, run.publishes, run.retries, run.bytes, run.notAttempted, run.latenciesMs);
    }

    /** One invocation's publishing; only the invocation's thread touches it. */
    private final class Run {
        final RecordLedger ledger;
        final Deadline deadline;
        /**
         * Channels with no publish in flight, in turn. A channel leaves while its publish is out and
         * comes back when it is answered, so finding the next publish never walks the whole batch
         * (it did, once per answer: quadratic in the number of users).
         */
        final Deque<Channel> idle = new ArrayDeque<>();
        final List<Channel> channels = new ArrayList<>();
        final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
        int publishes;
        int retries;
        long bytes;
        int notAttempted;
        final List<Long> latenciesMs = new ArrayList<>();
        boolean stopped;
        /** Publishes started and not yet answered. */
        final Set<ChannelBatch> awaiting = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        Run(RecordLedger ledger, Deadline deadline) {
            this.ledger = ledger;
            this.deadline = deadline;
        }

        void go() {
            while (true) {
                sweepDoomed();
                startWhatCan();
                if (awaiting.isEmpty()) {
                    break;
                }
                Completion done = awaitCompletion();
                if (done == null) {
                    break;
                }
                awaiting.remove(done.batch);
                settle(done);
                idle.addLast(done.channel);
            }
            // A publish still out may yet arrive: reported failed, it is published again on redelivery
            // and subscribers drop the duplicate by message_id.
            for (ChannelBatch batch : awaiting) {
                for (SqsRecord record : batch.records()) {
                    ledger.fail(record, "publish to " + batch.channel()
                            + " had no answer before the invocation's time budget (sync.time-budget) ran out");
                }
            }
            String reason = stopped || !awaiting.isEmpty()
                    ? "not attempted: the invocation's time budget (sync.time-budget) ran out"
                    : "not published: it waits on a record that was not delivered";
            for (SqsRecord record : ledger.pending()) {
                ledger.fail(record, reason);
                notAttempted++;
            }
        }

        private Completion awaitCompletion() {
            try {
                long waitNanos = Math.max(0, deadline.remaining().toNanos());
                return completions.poll(waitNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        private void startWhatCan() {
            // Each idle channel is looked at once: it starts a publish, is done, or waits (its head
            // waits on a record of another channel, FIFO) and keeps its turn for the next answer.
            for (int looked = idle.size(); looked > 0 && awaiting.size() < concurrency && !stopped; looked--) {
                Channel channel = idle.pollFirst();
                if (channel.isDone()) {
                    continue;
                }
                if (!deadline.allows(attemptNeeds)) {
                    idle.addFirst(channel);
                    stopped = true;
                    return;
                }
                ChannelBatch batch = channel.next(ledger);
                if (batch == null) {
                    idle.addLast(channel);
                } else {
                    start(channel, batch);
                }
            }
        }

        private void start(Channel channel, ChannelBatch batch) {
            awaiting.add(batch);
            AtomicInteger attempts = new AtomicInteger();
            long startNanos = System.nanoTime();
            try {
                gateway.publish(batch.channel(), batch.body(), deadline, attempts).subscribe().with(
                        ack -> completions.add(new Completion(channel, batch, attempts.get(), null, startNanos)),
                        failure -> completions.add(new Completion(channel, batch, attempts.get(), failure, startNanos)));
            } catch (RuntimeException failure) {
                // Guards fail the Uni, but nothing thrown here may take the invocation down.
                completions.add(new Completion(channel, batch, attempts.get(), failure, startNanos));
            }
        }

        private void settle(Completion done) {
            ChannelBatch batch = done.batch;
            retries += Math.max(0, done.attempts - 1);
            if (done.failure == null) {
                publishes++;
                bytes += batch.body().length;
                latenciesMs.add((System.nanoTime() - done.startNanos) / 1_000_000);
                ledger.deliver(batch.records());
                LOG.debugf("published %s after %s", batch, plural(done.attempts, "attempt"));
                return;
            }
            if (done.failure instanceof PublishFailure.Rejected rejected && rejected.isPayloadTooLarge()
                    && batch.items().size() > 1) {
                // PubNub measures size its own way: halve the publish and try both halves.
                List<PlannedItem> items = batch.items();
                int half = items.size() / 2;
                done.channel.splits.addFirst(items.subList(half, items.size()));
                done.channel.splits.addFirst(items.subList(0, half));
                LOG.infof("PubNub refused %s as too large (HTTP 413); publishing it in two halves", batch);
                return;
            }
            if (done.attempts == 0) {
                notAttempted += batch.records().size();
            }
            String reason = "publish to " + batch.channel()
                    + (done.attempts == 0 ? " not attempted: " : " failed after " + plural(done.attempts, "attempt") + ": ")
                    + describe(done.failure);
            for (SqsRecord record : batch.records()) {
                ledger.fail(record, reason);
            }
        }

        /** After a FIFO failure, pending items whose place is now failed are dropped, with their riders. */
        private void sweepDoomed() {
            boolean changed = ledger.takeGroupFailure();
            while (changed) {
                for (Channel channel : channels) {
                    channel.dropFailed(ledger);
                }
                changed = ledger.takeGroupFailure();
            }
        }
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private String describe(Throwable failure) {
        if (failure instanceof PublishFailure) {
            return failure.getMessage();
        }
        if (failure instanceof TimeoutException) {
            return "no answer from PubNub within the " + attemptTimeoutMs + " ms attempt timeout (sync.publish.attempt-timeout-ms)";
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return "the circuit breaker is open after repeated PubNub failures";
        }
        return "unexpected " + failure.getClass().getSimpleName();
    }

    private record Completion(Channel channel, ChannelBatch batch, int attempts, Throwable failure, long startNanos) {
    }

    /** One channel's items still to publish. */
    private final class Channel {
        final String name;
        final Deque<PlannedItem> pending;
        final Deque<List<PlannedItem>> splits = new ArrayDeque<>();

        Channel(ChannelQueue queue) {
            this.name = queue.channel();
            this.pending = new ArrayDeque<>(queue.items());
        }

        boolean isDone() {
            return pending.isEmpty() && splits.isEmpty();
        }

        /** The next publish, or null when the head of the channel waits on another channel. */
        ChannelBatch next(RecordLedger ledger) {
            if (!splits.isEmpty()) {
                List<PlannedItem> split = splits.peekFirst();
                if (!ready(ledger, split)) {
                    return null;
                }
                splits.removeFirst();
                return packer.pack(name, split);
            }
            List<PlannedItem> candidates = new ArrayList<>();
            Set<Integer> before = new HashSet<>();
            for (PlannedItem item : pending) {
                if (candidates.size() == maxMessages || !ledger.mayPublish(item, before)) {
                    break;
                }
                candidates.add(item);
                item.records().forEach(r -> before.add(r.position()));
            }
            if (candidates.isEmpty()) {
                return null;
            }
            ChannelBatch batch = packer.packPrefix(name, candidates);
            for (int i = 0; i < batch.items().size(); i++) {
                pending.removeFirst();
            }
            return batch;
        }

        private boolean ready(RecordLedger ledger, List<PlannedItem> items) {
            Set<Integer> before = new HashSet<>();
            for (PlannedItem item : items) {
                if (!ledger.mayPublish(item, before)) {
                    return false;
                }
                item.records().forEach(r -> before.add(r.position()));
            }
            return true;
        }

        void dropFailed(RecordLedger ledger) {
            pending.removeIf(item -> dropIfDoomed(item, ledger));
            List<List<PlannedItem>> alive = new ArrayList<>();
            for (List<PlannedItem> split : splits) {
                List<PlannedItem> kept = split.stream().filter(item -> !dropIfDoomed(item, ledger)).toList();
                if (!kept.isEmpty()) {
                    alive.add(kept);
                }
            }
            splits.clear();
            splits.addAll(alive);
        }

        /** An item whose place in its FIFO group has failed cannot go out; its riders fail with it. */
        private static boolean dropIfDoomed(PlannedItem item, RecordLedger ledger) {
            for (SqsRecord place : item.placeRecords()) {
                if (ledger.isFailed(place)) {
                    String reason = ledger.reason(place);
                    item.records().forEach(record -> ledger.fail(record, reason));
                    return true;
                }
            }
            return false;
        }
    }
}
