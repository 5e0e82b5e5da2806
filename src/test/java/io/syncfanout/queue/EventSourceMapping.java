package io.syncfanout.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Lambda's SQS event source mapping, on the local queue: pollers that receive as Lambda's do, gather a
 * batch, invoke the function synchronously and settle the batch by its answer, with
 * {@code ReportBatchItemFailures} on, as infra/ sets it. One poller per {@link LocalFunction}, as
 * Lambda runs one invocation per execution environment at a time. Each rule cites AWS's page.
 */
public final class EventSourceMapping implements AutoCloseable {

    /**
     * Lambda's invocation payload limit, 6 MB: the mapping stops gathering before it
     * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html, "Batching behavior").
     */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    /** SQS returns at most 10 messages per ReceiveMessage (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html). */
    private static final int MAX_PER_RECEIVE = 10;
    /**
     * Lambda long-polls for 20 s. A long poll answers as soon as a message is there, so a shorter wait
     * changes nothing but how long {@link #close()} waits for the pollers.
     */
    private static final int LONG_POLL_SECONDS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(EventSourceMapping.class);

    /**
     * The mapping's settings, as infra/'s {@code aws_lambda_event_source_mapping} names them, and SQS's
     * in-flight quota, scaled down with the test.
     *
     * @param inFlightQuota SQS hands out none of a queue's messages while this many are in flight (about
     *        120,000 on a real queue, "Amazon SQS standard queue quotas"); 0 for none
     */
    public record Settings(int batchSize, Duration maximumBatchingWindow, int inFlightQuota) {
        public Settings {
            // AWS: a batch size over 10 needs a batching window of at least 1 s.
            if (batchSize > MAX_PER_RECEIVE && maximumBatchingWindow.isZero()) {
                throw new IllegalArgumentException("batch_size over 10 needs maximum_batching_window_in_seconds of at least 1");
            }
        }

        public Settings(int batchSize, Duration maximumBatchingWindow) {
            this(batchSize, maximumBatchingWindow, 0);
        }

        public Settings withInFlightQuota(int messages) {
            return new Settings(batchSize, maximumBatchingWindow, messages);
        }
    }

    /** One invocation as the mapping saw it: the records it sent, how it ended, and what it deleted. */
    public record Invocation(List<String> messageIds, Map<String, Integer> receiveCounts, LocalFunction.Ending ending,
            Set<String> reportedFailed, Set<String> deleted, String problem) {
    }

    private final SqsClient sqs;
    private final LocalQueue.Queues queues;
    private final Settings settings;
    private final List<Thread> pollers = new ArrayList<>();
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger throttledReceives = new AtomicInteger();
    private final AtomicInteger overQuotaReceives = new AtomicInteger();
    private volatile boolean running = true;
    private volatile boolean throttled;

    private EventSourceMapping(SqsClient sqs, LocalQueue.Queues queues, Settings settings) {
        this.sqs = sqs;
        this.queues = queues;
        this.settings = settings;
    }

    /** What the mapping invokes: an execution environment of the function. */
    @FunctionalInterface
    public interface Function {
        LocalFunction.Outcome invoke(String event) throws java.io.IOException, InterruptedException;
    }

    /** Starts one poller for each environment. */
    public static EventSourceMapping start(SqsClient sqs, LocalQueue.Queues queues, Settings settings, List<? extends Function> functions) {
        EventSourceMapping mapping = new EventSourceMapping(sqs, queues, settings);
        for (int i = 0; i < functions.size(); i++) {
            Function function = functions.get(i);
            Thread poller = new Thread(() -> mapping.poll(function), "esm-poller-" + i);
            poller.setDaemon(true);
            mapping.pollers.add(poller);
            poller.start();
        }
        return mapping;
    }

    /** Every invocation so far, in the order they ended. */
    public List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    /**
     * While on, Lambda cannot invoke the function (the account's concurrency is used up): a poller that
     * has received a batch leaves it in flight, and SQS gives it back after the visibility timeout, each
     * record's receive count one higher without a delivery
     * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html).
     */
    public void throttle(boolean on) {
        throttled = on;
    }

    /** Batches received while throttled, never delivered. */
    public int throttledReceives() {
        return throttledReceives.get();
    }

    /** Receives that found the queue's in-flight quota reached. */
    public int overQuotaReceives() {
        return overQuotaReceives.get();
    }

    /** Invocations running now. */
    public int inFlight() {
        return inFlight.get();
    }

    private void poll(Function function) {
        List<ObjectNode> carried = new ArrayList<>();
        long completed = Long.MIN_VALUE;
        while (running) {
            try {
                List<ObjectNode> batch = gather(carried, completed);
                if (!batch.isEmpty() && throttled) {
                    throttledReceives.incrementAndGet();
                } else if (!batch.isEmpty()) {
                    invoke(function, batch);
                    completed = System.nanoTime();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | java.io.IOException e) {
                if (running) {
                    LOG.warnf("event source mapping: %s", e);
                }
            }
        }
    }

    /**
     * A batch: Lambda polls until the batch size is reached, the batching window has passed, or the next
     * record would take the payload past 6 MB (kept for the next batch). "The next batching window begins
     * as soon as the previous function invocation completes" (AWS, services-sqs-configure): records
     * already waiting then are sent when that window ends, not one window after the first is received;
     * on a queue that was empty the window starts with the first record. A FIFO queue takes no window: one receive is one batch. SQS itself holds back a FIFO
     * group's later messages while one of the group is in flight, so no two batches hold one group
     * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
     */
    private List<ObjectNode> gather(List<ObjectNode> carried, long previousCompleted) {
        List<ObjectNode> batch = new ArrayList<>(carried);
        carried.clear();
        int bytes = batch.stream().mapToInt(LambdaSqsEvent::size).sum();
        long window = settings.maximumBatchingWindow().toNanos();
        long afterPrevious = previousCompleted == Long.MIN_VALUE ? Long.MIN_VALUE : previousCompleted + window;
        long windowEnds = batch.isEmpty() ? Long.MAX_VALUE : Math.max(System.nanoTime(), afterPrevious);
        while (running && batch.size() < settings.batchSize()) {
            if (settings.inFlightQuota() > 0 && inFlightNow() >= settings.inFlightQuota()) {
                // SQS returns nothing (OverLimit on a standard queue) until messages leave flight.
                overQuotaReceives.incrementAndGet();
                sleep(200);
                if (!batch.isEmpty() && System.nanoTime() - windowEnds >= 0) {
                    break;
                }
                continue;
            }
            int waitSeconds = LONG_POLL_SECONDS;
            if (!batch.isEmpty()) {
                long left = windowEnds - System.nanoTime();
                if (left <= 0 || queues.settings().fifo()) {
                    break;
                }
                waitSeconds = (int) Math.min(LONG_POLL_SECONDS, Math.max(0, left / 1_000_000_000L));
            }
            int want = Math.min(MAX_PER_RECEIVE, settings.batchSize() - batch.size());
            int wait = waitSeconds;
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queues.sourceUrl()).maxNumberOfMessages(want).waitTimeSeconds(wait)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
            if (received.isEmpty() && batch.isEmpty()) {
                continue;
            }
            if (batch.isEmpty()) {
                long now = System.nanoTime();
                windowEnds = afterPrevious != Long.MIN_VALUE && afterPrevious - now > 0 ? afterPrevious : now + window;
            }
            for (Message message : received) {
                ObjectNode record = LambdaSqsEvent.record(message, queues.sourceArn(), LocalQueue.REGION);
                int size = LambdaSqsEvent.size(record);
                if (bytes + size > MAX_PAYLOAD_BYTES - 16 && !batch.isEmpty()) {
                    carried.add(record);
                } else {
                    batch.add(record);
                    bytes += size;
                }
            }
            if (!carried.isEmpty() || settings.maximumBatchingWindow().isZero() || queues.settings().fifo()) {
                break;
            }
        }
        return batch;
    }

    private int inFlightNow() {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queues.sourceUrl())
                .attributeNames(software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void invoke(Function function, List<ObjectNode> batch) throws java.io.IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        Map<String, Integer> receiveCounts = new HashMap<>();
        Map<String, String> receiptHandles = new HashMap<>();
        for (ObjectNode record : batch) {
            String id = record.path("messageId").asText();
            ids.add(id);
            receiveCounts.put(id, record.path("attributes").path("ApproximateReceiveCount").asInt());
            receiptHandles.put(id, record.path("receiptHandle").asText());
        }
        inFlight.incrementAndGet();
        LocalFunction.Outcome outcome;
        try {
            outcome = function.invoke(LambdaSqsEvent.of(batch));
        } finally {
            inFlight.decrementAndGet();
        }
        Set<String> failed = new HashSet<>();
        String problem = null;
        if (outcome.ending() == LocalFunction.Ending.ANSWERED) {
            problem = failures(outcome.answer(), receiptHandles.keySet(), failed);
        } else {
            problem = "the invocation ended " + outcome.ending();
        }
        Set<String> deleted = new HashSet<>();
        if (problem == null) {
            // Records not named in batchItemFailures succeeded: Lambda deletes them. The named ones stay,
            // and come back once their visibility timeout has passed.
            for (String id : ids) {
                if (!failed.contains(id)) {
                    deleted.add(id);
                }
            }
            delete(deleted, receiptHandles);
        }
        // Otherwise the whole batch failed: nothing is deleted and every record comes back
        // (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
        invocations.add(new Invocation(List.copyOf(ids), Map.copyOf(receiveCounts), outcome.ending(), Set.copyOf(failed),
                Set.copyOf(deleted), problem));
    }

    /**
     * Reads {@code batchItemFailures} into {@code failed}, or says why the answer fails the whole batch.
     * AWS: an empty or null list (or an empty answer) is complete success; an answer that is not JSON, or
     * an {@code itemIdentifier} that is empty, null, under another key name, or not in the batch is a
     * complete failure (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
     */
    static String failures(String answer, Set<String> batch, Set<String> failed) {
        if (answer == null || answer.isBlank()) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(answer);
        } catch (java.io.IOException e) {
            return "the answer is not JSON";
        }
        JsonNode list = root.path("batchItemFailures");
        if (list.isMissingNode() || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            return "batchItemFailures is not a list";
        }
        for (JsonNode item : list) {
            JsonNode id = item.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                return "an itemIdentifier is missing, null or empty";
            }
            if (!batch.contains(id.asText())) {
                return "itemIdentifier " + id.asText() + " is not in the batch";
            }
            failed.add(id.asText());
        }
        return null;
    }

    private void delete(Set<String> ids, Map<String, String> receiptHandles) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (String id : ids) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(entries.size())).receiptHandle(receiptHandles.get(id)).build());
        }
        for (int from = 0; from < entries.size(); from += MAX_PER_RECEIVE) {
            List<DeleteMessageBatchRequestEntry> chunk = entries.subList(from, Math.min(entries.size(), from + MAX_PER_RECEIVE));
            var result = sqs.deleteMessageBatch(b -> b.queueUrl(queues.sourceUrl()).entries(chunk));
            if (!result.failed().isEmpty()) {
                LOG.warnf("event source mapping: SQS did not delete %s", result.failed());
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread poller : pollers) {
            poller.join(LONG_POLL_SECONDS * 1_000L + 20_000);
        }
    }
}
