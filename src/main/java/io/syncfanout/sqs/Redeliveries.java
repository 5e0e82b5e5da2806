package io.syncfanout.sqs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.syncfanout.config.SyncConfig;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Waits out PubNub's outages on the queue instead of in the receive count (contract, amendment 20):
 * a standard queue's record is parked ({@link RecordParking}), a FIFO queue's is delayed in place
 * ({@link RedeliveryDelays}). Everything is done within the time given, in parallel, the records
 * closest to the dead-letter queue (the highest receive counts) first; a record that could not be
 * parked stays in {@code batchItemFailures}, so nothing depends on SQS answering in time.
 */
@ApplicationScoped
public class Redeliveries {

    private static final Logger LOG = Logger.getLogger(Redeliveries.class);
    /** SQS: at most 10 entries per SendMessageBatch and ChangeMessageVisibilityBatch. */
    private static final int MAX_ENTRIES = 10;
    /** Too little time for a round trip to SQS: not tried. */
    private static final Duration TOO_LITTLE = Duration.ofMillis(20);
    /** The most closest-first order matters for: SQS counts past 1,000 receives only as "many". */
    private static final Comparator<Redelivery> CLOSEST_TO_THE_DLQ_FIRST = Comparator.comparingInt(Redelivery::receiveCount).reversed()
            .thenComparing(Comparator.comparingInt((Redelivery r) -> r.park().count()).reversed());

    private final SyncConfig.Redelivery settings;
    private final QueueClient queue;

    @Inject
    public Redeliveries(SyncConfig config, QueueClient queue) {
        this(config.redelivery(), queue);
    }

    Redeliveries(SyncConfig.Redelivery settings, QueueClient queue) {
        this.settings = settings;
        this.queue = queue;
    }

    /** Parks or delays these records, within {@code timeLeft}. */
    public RedeliveryOutcome redeliver(List<Redelivery> failed, Duration timeLeft) {
        if (failed.isEmpty() || !settings.backoffEnabled()) {
            return RedeliveryOutcome.NONE;
        }
        long ends = System.nanoTime() + timeLeft.toNanos();
        long nowMillis = System.currentTimeMillis();
        RedeliveryBackoff backoff = new RedeliveryBackoff(settings.backoffBase(), settings.backoffMultiplier(), settings.backoffMax());
        Outcome outcome = new Outcome();
        List<Call> calls = new ArrayList<>();
        Map<String, List<Redelivery>> toPark = new LinkedHashMap<>();
        Map<String, List<Redelivery>> toDelay = new LinkedHashMap<>();
        for (Redelivery record : failed.stream().sorted(CLOSEST_TO_THE_DLQ_FIRST).toList()) {
            if (QueueArn.parse(record.queueArn()) == null) {
                outcome.notDelayed.put(record.messageId(), "its eventSourceARN is not an SQS queue's");
            } else if (record.fifo()) {
                if (settings.maxReceiveCount().isPresent() && record.receiveCount() >= settings.maxReceiveCount().getAsInt()) {
                    // A delay now would only postpone the dead-letter queue, and hold the group meanwhile.
                    outcome.ended.put(record.messageId(), "receive " + record.receiveCount() + " was its queue's last "
                            + "(sync.redelivery.max-receive-count): not delayed, the dead-letter queue takes it at the next");
                } else {
                    toDelay.computeIfAbsent(record.queueArn(), arn -> new ArrayList<>()).add(record);
                }
            } else if (record.park().count() > 0 && nowMillis - record.park().sinceMillis() >= settings.parkLimit().toMillis()) {
                outcome.ended.put(record.messageId(), "parked " + record.park().count() + " times since "
                        + Instant.ofEpochMilli(record.park().sinceMillis()) + ", past sync.redelivery.park-limit ("
                        + settings.parkLimit() + "): not parked again, it takes the queue's own way to the dead-letter queue");
            } else {
                toPark.computeIfAbsent(record.queueArn(), arn -> new ArrayList<>()).add(record);
            }
        }
        toPark.forEach((arn, records) -> chunks(records).forEach(chunk -> calls.add(new Call(true, QueueArn.parse(arn), chunk))));
        toDelay.forEach((arn, records) -> chunks(records).forEach(chunk -> calls.add(new Call(false, QueueArn.parse(arn), chunk))));
        if (calls.isEmpty()) {
            return outcome.done();
        }
        // Closest to the dead-letter queue first, whichever queue or kind of call it is.
        calls.sort(Comparator.comparing(call -> call.records().get(0), CLOSEST_TO_THE_DLQ_FIRST));
        SqsClient sqs;
        try {
            sqs = timeLeft.compareTo(TOO_LITTLE) < 0 ? null : queue.ready(ends - TOO_LITTLE.toNanos());
        } catch (SdkException e) {
            return outcome.notDelayed(calls, "the SQS client could not be made: " + firstLine(e.getMessage())).done();
        }
        if (sqs == null) {
            String why = timeLeft.compareTo(TOO_LITTLE) < 0 ? "no time was left before the deadline"
                    : "the SQS client is still being made (once per instance)";
            return outcome.notDelayed(calls, why).done();
        }
        List<Future<?>> running = new ArrayList<>(calls.size());
        for (Call call : calls) {
            try {
                running.add(queue.pool().submit(() -> run(sqs, call, backoff, nowMillis, ends, outcome)));
            } catch (RejectedExecutionException e) {
                running.add(null);
            }
        }
        for (int i = 0; i < calls.size(); i++) {
            Future<?> call = running.get(i);
            try {
                if (call == null) {
                    outcome.notDelayed(List.of(calls.get(i)), "its call could not be started");
                } else {
                    call.get(Math.max(0, ends - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (TimeoutException late) {
                call.cancel(true);
                outcome.notDelayed(List.of(calls.get(i)), "SQS did not confirm it before the deadline");
            } catch (ExecutionException | InterruptedException e) {
                outcome.notDelayed(List.of(calls.get(i)), "its call failed: " + e.getClass().getSimpleName());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return outcome.done();
    }

    /**
     * A fresh instance's first outage would otherwise find the client still being made, and park
     * nothing. A native image makes it in milliseconds, and an environment started ahead of traffic
     * (provisioned concurrency, Managed Instances) has the time: they make it at start-up, on its own
     * thread. An on-demand JVM makes it at its first outage, off the cold start (with SnapStart the
     * snapshot holds it made).
     */
    void onStart(@Observes StartupEvent event) {
        String initialization = System.getenv().getOrDefault("AWS_LAMBDA_INITIALIZATION_TYPE", "");
        boolean nativeImage = System.getProperty("org.graalvm.nativeimage.imagecode") != null;
        if (settings.backoffEnabled() && (nativeImage || initialization.equals("provisioned-concurrency")
                || initialization.equals("lambda-managed-instances"))) {
            queue.makeSoon();
        }
    }

    /** Makes the SQS client now, for a snapshot to hold. */
    public void prime() {
        queue.prime();
    }

    private void run(SqsClient sqs, Call call, RedeliveryBackoff backoff, long nowMillis, long ends, Outcome outcome) {
        Duration left = Duration.ofNanos(ends - System.nanoTime());
        if (left.compareTo(TOO_LITTLE) < 0) {
            outcome.notDelayed(List.of(call), "no time was left before the deadline");
            return;
        }
        Duration callTimeout = left.compareTo(settings.callTimeout()) < 0 ? left : settings.callTimeout();
        List<BatchResultErrorEntry> refused;
        List<String> succeeded;
        try {
            if (call.park()) {
                SendMessageBatchResponse answer = RecordParking.send(sqs, call.queue(), call.records(), backoff, nowMillis, callTimeout);
                succeeded = answer.successful().stream().map(ok -> ok.id()).toList();
                refused = answer.failed();
            } else {
                ChangeMessageVisibilityBatchResponse answer = RedeliveryDelays.delay(sqs, call.queue(), call.records(), backoff, callTimeout);
                succeeded = answer.successful().stream().map(ok -> ok.id()).toList();
                refused = answer.failed();
            }
        } catch (SdkException | IllegalArgumentException e) {
            outcome.notDelayed(List.of(call), "SQS did not take the call: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
            return;
        }
        for (String id : succeeded) {
            Redelivery record = entry(call, id);
            if (record != null && call.park()) {
                outcome.parked(record.messageId(), "parked on " + call.queue().name() + " for " + backoff.park(record.park().count()).toSeconds()
                        + " s (park " + (record.park().count() + 1) + ")");
            } else if (record != null) {
                outcome.delayed(record.messageId(), "SQS delivers it again in " + backoff.after(record.receiveCount()).toSeconds() + " s");
            }
        }
        for (BatchResultErrorEntry error : refused) {
            Redelivery record = entry(call, error.id());
            if (record != null) {
                outcome.notDelayed(record.messageId(), "SQS refused to " + (call.park() ? "park" : "delay") + " it (" + error.code() + ")");
            }
        }
    }

    private static Redelivery entry(Call call, String id) {
        try {
            int index = Integer.parseInt(id);
            return index >= 0 && index < call.records().size() ? call.records().get(index) : null;
        } catch (NumberFormatException notOurs) {
            return null;
        }
    }

    private static List<List<Redelivery>> chunks(List<Redelivery> records) {
        List<List<Redelivery>> chunks = new ArrayList<>();
        for (int from = 0; from < records.size(); from += MAX_ENTRIES) {
            chunks.add(records.subList(from, Math.min(records.size(), from + MAX_ENTRIES)));
        }
        return chunks;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /** One SendMessageBatch (park) or ChangeMessageVisibilityBatch (delay) of up to 10 records of one queue. */
    private record Call(boolean park, QueueArn queue, List<Redelivery> records) {
    }

    /** Filled from the pool's threads; a record keeps the first thing said of it (a late call cannot undo a park). */
    private static final class Outcome {
        final Map<String, String> parked = new LinkedHashMap<>();
        final Map<String, String> delayed = new LinkedHashMap<>();
        final Map<String, String> notDelayed = new LinkedHashMap<>();
        final Map<String, String> ended = new LinkedHashMap<>();
        private boolean done;

        synchronized void parked(String id, String note) {
            if (!done && !notDelayed.containsKey(id)) {
                parked.putIfAbsent(id, note);
            }
        }

        synchronized void delayed(String id, String note) {
            if (!done && !notDelayed.containsKey(id)) {
                delayed.putIfAbsent(id, note);
            }
        }

        synchronized void notDelayed(String id, String why) {
            if (!parked.containsKey(id) && !delayed.containsKey(id)) {
                notDelayed.putIfAbsent(id, why);
            }
        }

        synchronized Outcome notDelayed(List<Call> calls, String why) {
            calls.forEach(call -> call.records().forEach(record -> notDelayed(record.messageId(), why)));
            return this;
        }

        /** What is said of the records from here on is too late for the answer: a park confirmed now is a record sent twice. */
        synchronized RedeliveryOutcome done() {
            done = true;
            return new RedeliveryOutcome(Map.copyOf(parked), Map.copyOf(delayed), Map.copyOf(notDelayed), Map.copyOf(ended));
        }
    }
}
