package io.syncfanout.fanout;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import io.syncfanout.config.PubNubConfig;
import io.syncfanout.config.SyncConfig;
import io.syncfanout.plan.BatchPacker;
import io.syncfanout.plan.ChannelBatch;
import io.syncfanout.plan.ChannelQueue;
import io.syncfanout.plan.PlannedItem;
import io.syncfanout.plan.PublishPlan;
import io.syncfanout.pubnub.Deadline;
import io.syncfanout.pubnub.PubNubBehaviour;
import io.syncfanout.pubnub.PublishAttempts;
import io.syncfanout.pubnub.PublishFailure;
import io.syncfanout.pubnub.PublishPacing;
import io.syncfanout.pubnub.Publisher;
import io.syncfanout.record.InvalidRecord;
import io.syncfanout.record.SqsRecord;

/**
 * Publishes a plan: channels at once up to {@code sync.publish.concurrency} (fewer while PubNub
 * rate-limits, {@link PublishPacing}), each channel's publishes one after another so its items keep
 * their order, FIFO groups in order, and no publish started once the deadline leaves no room for it.
 */
@Singleton
public class PublishDispatcher {

    private static final Logger LOG = Logger.getLogger(PublishDispatcher.class);

    private final Publisher gateway;
    private final BatchPacker packer;
    private final PublishPacing pacing;
    private final int concurrency;
    private final int maxMessages;
    private final Duration attemptTimeout;
    private final Duration minAttempt;
    private final Duration grace;
    /**
     * HTTP/2 multiplexes every publish on one connection, but only once a connection is up: a burst
     * sent before then makes the HTTP client open a connection (a TLS handshake) for each waiting
     * publish. So while no connection may be open, one publish goes first and the rest follow its answer.
     */
    private final boolean oneFirstWhenCold;
    private volatile long lastAnswerNanos;
    private volatile boolean answered;
    /** Longer than this without an answer, the pool has let its connections go (its connection-ttl). */
    static final Duration COLD_AFTER = Duration.ofSeconds(50);

    @Inject
    public PublishDispatcher(Publisher gateway, BatchPacker packer, PublishPacing pacing, SyncConfig config, PubNubConfig pubnub) {
        this(gateway, packer, pacing, config.publish().concurrency(), config.batch().maxMessages(),
                Duration.ofMillis(config.publish().attemptTimeoutMs()), config.publish().minAttempt(),
                config.publish().deadlineMargin().dividedBy(2), pubnub.http2());
    }

    /**
     * @param minAttempt the least time left in which a publish still starts (amendment 18): its attempt
     *        timeout is cut to what is left
     * @param grace how long past the deadline answers already on their way are awaited: every attempt
     *        started was due to end by the deadline, so what is still out then is an answer the
     *        event loop has not handed over yet, or a timeout about to fire
     */
    PublishDispatcher(Publisher gateway, BatchPacker packer, PublishPacing pacing, int concurrency, int maxMessages,
            Duration attemptTimeout, Duration minAttempt, Duration grace, boolean oneFirstWhenCold) {
        this.gateway = gateway;
        this.packer = packer;
        this.pacing = pacing;
        this.concurrency = concurrency;
        this.maxMessages = maxMessages;
        this.attemptTimeout = attemptTimeout;
        this.minAttempt = minAttempt;
        this.grace = grace;
        this.oneFirstWhenCold = oneFirstWhenCold;
    }

    private boolean cold() {
        return oneFirstWhenCold && (!answered || System.nanoTime() - lastAnswerNanos > COLD_AFTER.toNanos());
    }

    /** Publishes what it can and returns where every record ended. */
    public DispatchResult dispatch(List<SqsRecord> all, PublishPlan plan, Deadline deadline) {
        RecordLedger ledger = new RecordLedger(all);
        for (InvalidRecord invalid : plan.invalid()) {
            ledger.fail(invalid.source(), FailureKind.INVALID, invalid.reason());
        }
        Run run = new Run(ledger, deadline, cold());
        plan.channels().forEach(queue -> run.channels.add(new Channel(queue)));
        run.idle.addAll(run.channels);
        run.go();
        return new DispatchResult(ledger, run.publishes, run.retries, run.bytes, run.latenciesMs, run.behaviour());
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
        final List<Long> latenciesMs = new ArrayList<>();
        /** Every publish this invocation started, answered or not: what PubNub did to them is its own. */
        final List<PublishAttempts> started = new ArrayList<>();
        /** The deadline left no room for another publish. */
        boolean outOfTime;
        /** A 429 holds new publishes while some channel still has one to start. */
        boolean heldByRateLimit;
        /** Publishes started and not yet answered. */
        final Set<ChannelBatch> awaiting = Collections.newSetFromMap(new IdentityHashMap<>());
        /** One publish alone until PubNub first answers (a connection is up), then the rest. */
        boolean warmingUp;

        Run(RecordLedger ledger, Deadline deadline, boolean cold) {
            this.ledger = ledger;
            this.deadline = deadline;
            this.warmingUp = cold;
        }

        void go() {
            while (true) {
                sweepDoomed();
                startWhatCan();
                if (awaiting.isEmpty() && !heldByRateLimit) {
                    break;
                }
                Completion done = awaitCompletion();
                if (done != null) {
                    settleAndReturn(done);
                } else if (deadline.hasPassed()) {
                    // Every slot may still be busy here, so nothing has marked the rest out of time yet.
                    outOfTime = true;
                    break;
                }
            }
            // Answers that arrive by the deadline count (amendment 10): take in those already here or
            // on their way before reporting the rest.
            long graceEnd = System.nanoTime() + grace.toNanos();
            for (Completion done = completions.poll(); done != null || !awaiting.isEmpty(); done = completions.poll()) {
                if (done == null) {
                    done = awaitUntil(graceEnd);
                    if (done == null) {
                        break;
                    }
                }
                settleAndReturn(done);
            }
            // A publish still out may yet arrive: reported failed, it is published again on redelivery
            // and subscribers drop the duplicate by message_id.
            for (ChannelBatch batch : awaiting) {
                for (SqsRecord record : batch.records()) {
                    ledger.fail(record, FailureKind.OUT_OF_TIME, "publish to " + batch.channel() + " had no answer before "
                            + deadline.description() + " ran out");
                }
            }
            boolean timeRanOut = outOfTime || heldByRateLimit || !awaiting.isEmpty();
            for (SqsRecord record : ledger.pending()) {
                if (timeRanOut) {
                    ledger.fail(record, FailureKind.OUT_OF_TIME, "not attempted: " + deadline.description() + " ran out");
                } else {
                    ledger.fail(record, FailureKind.BEHIND_FAILURE, "not published: it waits on a record that was not delivered");
                }
            }
        }

        PubNubBehaviour behaviour() {
            PubNubBehaviour sum = PubNubBehaviour.NONE;
            for (PublishAttempts attempts : started) {
                sum = sum.plus(attempts.behaviour());
            }
            return sum;
        }

        private void settleAndReturn(Completion done) {
            awaiting.remove(done.batch);
            warmingUp = false;
            if (done.failure == null || done.failure instanceof PublishFailure.Rejected) {
                lastAnswerNanos = System.nanoTime();
                answered = true;
            }
            settle(done);
            idle.addLast(done.channel);
        }

        /** The next answer; or null once the deadline passes, or once a rate-limit pause ends. */
        private Completion awaitCompletion() {
            long until = deadline.atNanos();
            if (heldByRateLimit) {
                long pauseEnd = System.nanoTime() + pacing.pause().toNanos();
                until = pauseEnd - until < 0 ? pauseEnd : until;
            }
            return awaitUntil(until);
        }

        private Completion awaitUntil(long nanoTime) {
            try {
                return completions.poll(Math.max(0, nanoTime - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        private void startWhatCan() {
            heldByRateLimit = false;
            int allowed = warmingUp ? 1 : Math.min(concurrency, pacing.allowedInFlight());
            boolean paused = !pacing.pause().isZero();
            // Each idle channel is looked at once: it starts a publish, is done, or waits (its head
            // waits on a record of another channel, FIFO) and keeps its turn for the next answer.
            for (int looked = idle.size(); looked > 0 && awaiting.size() < allowed && !outOfTime; looked--) {
                Channel channel = idle.pollFirst();
                if (channel.isDone()) {
                    continue;
                }
                if (paused) {
                    idle.addFirst(channel);
                    // A pause that outlasts the deadline ends this invocation's publishing at once (amendment 13).
                    if (!deadline.allows(pacing.pause())) {
                        outOfTime = true;
                    } else {
                        heldByRateLimit = true;
                    }
                    return;
                }
                if (!deadline.allows(minAttempt)) {
                    idle.addFirst(channel);
                    outOfTime = true;
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
            PublishAttempts attempts = new PublishAttempts();
            started.add(attempts);
            long startNanos = System.nanoTime();
            try {
                gateway.publish(batch.channel(), batch.body(), deadline, attempts).subscribe().with(
                        ack -> completions.add(new Completion(channel, batch, attempts, null, startNanos)),
                        failure -> completions.add(new Completion(channel, batch, attempts, failure, startNanos)));
            } catch (RuntimeException failure) {
                // Guards fail the Uni, but nothing thrown here may take the invocation down.
                completions.add(new Completion(channel, batch, attempts, failure, startNanos));
            }
        }

        private void settle(Completion done) {
            ChannelBatch batch = done.batch;
            retries += Math.max(0, done.attempts() - 1);
            if (done.failure == null) {
                publishes++;
                bytes += batch.body().length;
                latenciesMs.add((System.nanoTime() - done.startNanos) / 1_000_000);
                ledger.deliver(batch.records());
                LOG.debugf("published %s after %s", batch, plural(done.attempts(), "attempt"));
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
            String last = describe(done.failure);
            String reason = "publish to " + batch.channel()
                    + (done.attempts() == 0 ? " not attempted: " : " failed after " + plural(done.attempts(), "attempt") + ": ") + last
                    + done.tries.unanswered().filter(why -> !why.equals(last))
                            .map(why -> "; an earlier attempt went unanswered (" + why + "), so PubNub may have it").orElse("");
            for (SqsRecord record : batch.records()) {
                ledger.fail(record, kindOf(done.failure), reason, isOutage(done.failure));
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

    private static FailureKind kindOf(Throwable failure) {
        if (failure instanceof PublishFailure.Rejected) {
            return FailureKind.REFUSED;
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return FailureKind.FAILED_FAST;
        }
        if (failure instanceof PublishFailure.OutOfTime) {
            return FailureKind.OUT_OF_TIME;
        }
        return FailureKind.UNDELIVERED;
    }

    /**
     * Amendment 20's outage reasons: 5xx, refused or reset connections, no answer at all, the open
     * circuit, the deadline behind them. A 429 (PubNub asking to slow down), an answer that is not
     * PubNub's and a 4xx are not: those records take the queue's own way back.
     */
    static boolean isOutage(Throwable failure) {
        return failure instanceof PublishFailure.Outage || failure instanceof PublishFailure.StaleConnection
                || failure instanceof PublishFailure.Unanswered || failure instanceof TimeoutException
                || failure instanceof CircuitBreakerOpenException || failure instanceof PublishFailure.OutOfTime;
    }

    private String describe(Throwable failure) {
        if (failure instanceof PublishFailure) {
            return failure.getMessage();
        }
        if (failure instanceof TimeoutException) {
            return "no answer from PubNub within the " + attemptTimeout.toMillis() + " ms attempt timeout (sync.publish.attempt-timeout-ms)";
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return "the circuit breaker is open: PubNub failed with 5xx answers or refused/reset connections";
        }
        return "unexpected " + failure.getClass().getSimpleName();
    }

    private record Completion(Channel channel, ChannelBatch batch, PublishAttempts tries, Throwable failure, long startNanos) {
        int attempts() {
            return tries.get();
        }
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
                    FailureKind kind = ledger.kind(place);
                    item.records().forEach(record -> ledger.fail(record, kind, reason));
                    return true;
                }
            }
            return false;
        }
    }
}
