package io.syncfanout.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The local event source mapping keeps Lambda's rules: the event it builds and how an answer settles a batch. */
class EventSourceMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalQueue queue;
    private EventSourceMapping mapping;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        queue = LocalQueue.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (mapping != null) {
            mapping.close();
        }
        queue.close();
    }

    @Test
    void theEventIsLambdasFieldByFieldOnAFifoQueue() throws Exception {
        LocalQueue.Queues queues = queue.create(new QueueSettings("shape", true, Duration.ofSeconds(3), Duration.ofSeconds(30), 3));
        queue.sqs().sendMessage(b -> b.queueUrl(queues.sourceUrl()).messageBody("{\"a\":1}").messageGroupId("household-7")
                .messageAttributes(Map.of("origin", MessageAttributeValue.builder().dataType("String").stringValue("api-3").build())));
        mapping = EventSourceMapping.start(queue.sqs(), queues, new EventSourceMapping.Settings(10, Duration.ZERO), List.of(answering("{}")));
        awaitEvents(1);

        JsonNode record = events.get(0).path("Records").get(0);
        assertEquals("{\"a\":1}", record.path("body").asText());
        assertTrue(!record.path("messageId").asText().isEmpty() && !record.path("receiptHandle").asText().isEmpty());
        JsonNode attributes = record.path("attributes");
        assertEquals("1", attributes.path("ApproximateReceiveCount").asText());
        for (String name : List.of("SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp", "MessageDeduplicationId", "SequenceNumber")) {
            assertTrue(attributes.path(name).isTextual(), name + " in " + attributes);
        }
        assertEquals("household-7", attributes.path("MessageGroupId").asText());
        assertEquals("api-3", record.path("messageAttributes").path("origin").path("stringValue").asText());
        assertEquals("String", record.path("messageAttributes").path("origin").path("dataType").asText());
        assertEquals("a4a2ee4cb0abbc6fc5c4e1b1e3b0f4d6".length(), record.path("md5OfBody").asText().length());
        assertEquals("aws:sqs", record.path("eventSource").asText());
        assertEquals(queues.sourceArn(), record.path("eventSourceARN").asText());
        assertTrue(record.path("eventSourceARN").asText().endsWith(":shape.fifo"));
        assertEquals(LocalQueue.REGION, record.path("awsRegion").asText());
    }

    @Test
    void theRecordsAnAnswerNamesComeBackAndTheOthersAreDeleted() throws Exception {
        LocalQueue.Queues queues = queue.create(new QueueSettings("partial", false, Duration.ofSeconds(3), Duration.ofSeconds(3), 5));
        for (int i = 0; i < 3; i++) {
            int n = i;
            queue.sqs().sendMessage(b -> b.queueUrl(queues.sourceUrl()).messageBody("m" + n));
        }
        mapping = EventSourceMapping.start(queue.sqs(), queues, new EventSourceMapping.Settings(10, Duration.ofSeconds(1)),
                List.of(event -> {
                    events.add(JSON.readTree(event));
                    JsonNode first = JSON.readTree(event).path("Records").get(0);
                    // The first batch names its first record failed; the redelivery succeeds.
                    return new LocalFunction.Outcome(LocalFunction.Ending.ANSWERED, first.path("attributes").path("ApproximateReceiveCount")
                            .asInt() == 1 ? "{\"batchItemFailures\":[{\"itemIdentifier\":\"" + first.path("messageId").asText() + "\"}]}" : "{}");
                }));
        awaitEvents(2);
        EventSourceMapping.Invocation first = awaitInvocation(0);
        assertEquals(3, first.messageIds().size(), "the window gathered all three");
        assertEquals(2, first.deleted().size(), "the two not named are deleted");
        JsonNode again = events.get(1).path("Records");
        assertEquals(1, again.size());
        assertEquals(first.reportedFailed(), Set.of(again.get(0).path("messageId").asText()), "the named one came back");
        assertEquals("2", again.get(0).path("attributes").path("ApproximateReceiveCount").asText());
    }

    @Test
    void anAnswerThatNamesARecordNotInTheBatchFailsTheWholeBatch() {
        Set<String> batch = Set.of("a", "b");
        assertEquals(null, EventSourceMapping.failures("{\"batchItemFailures\":[]}", batch, new java.util.HashSet<>()));
        assertEquals(null, EventSourceMapping.failures("", batch, new java.util.HashSet<>()), "an empty answer is complete success");
        assertTrue(EventSourceMapping.failures("{\"batchItemFailures\":[{\"itemIdentifier\":\"c\"}]}", batch, new java.util.HashSet<>())
                .contains("not in the batch"));
        assertTrue(EventSourceMapping.failures("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}", batch, new java.util.HashSet<>())
                .contains("empty"));
        assertTrue(EventSourceMapping.failures("{\"batchItemFailures\":[{\"id\":\"a\"}]}", batch, new java.util.HashSet<>()) != null,
                "an itemIdentifier under another key name");
        assertTrue(EventSourceMapping.failures("{not json", batch, new java.util.HashSet<>()).contains("not JSON"));
    }

    /** A batch Lambda receives but cannot invoke stays in flight: it comes back with a receive spent and no delivery. */
    @Test
    void aThrottledReceiveSpendsAReceiveWithoutADelivery() throws Exception {
        LocalQueue.Queues queues = queue.create(new QueueSettings("throttled", false, Duration.ofSeconds(1), Duration.ofSeconds(1), 5));
        queue.sqs().sendMessage(b -> b.queueUrl(queues.sourceUrl()).messageBody("m"));
        mapping = EventSourceMapping.start(queue.sqs(), queues, new EventSourceMapping.Settings(10, Duration.ZERO), List.of(answering("{}")));
        mapping.throttle(true);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mapping.throttledReceives() < 1) {
            assertTrue(System.nanoTime() < deadline, "never received while throttled");
            Thread.sleep(20);
        }
        assertEquals(0, events.size(), "nothing invoked while throttled");
        mapping.throttle(false);
        awaitEvents(1);

        assertEquals("2", events.get(0).path("Records").get(0).path("attributes").path("ApproximateReceiveCount").asText(),
                "its first receive was spent without a delivery");
    }

    /** SQS hands out none of a queue's messages while its in-flight quota is reached. */
    @Test
    void noMessageIsHandedOutWhileTheInFlightQuotaIsReached() throws Exception {
        LocalQueue.Queues queues = queue.create(new QueueSettings("quota", false, Duration.ofSeconds(3), Duration.ofSeconds(30), 5));
        for (int i = 0; i < 3; i++) {
            int n = i;
            queue.sqs().sendMessage(b -> b.queueUrl(queues.sourceUrl()).messageBody("held-" + n));
        }
        // Two in flight elsewhere (a visibility of 4 s), with a quota of 2: the third waits for them.
        var held = queue.sqs().receiveMessage(b -> b.queueUrl(queues.sourceUrl()).maxNumberOfMessages(2).visibilityTimeout(4)).messages();
        assertEquals(2, held.size());
        long start = System.nanoTime();
        mapping = EventSourceMapping.start(queue.sqs(), queues, new EventSourceMapping.Settings(10, Duration.ZERO).withInFlightQuota(2),
                List.of(answering("{}")));
        awaitEvents(1);

        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs >= 3_000, "the third was handed out only once the others left flight, after " + waitedMs + " ms");
        assertTrue(mapping.overQuotaReceives() > 0);
    }

    /**
     * "The next batching window begins as soon as the previous function invocation completes": a record
     * sent 1.2 s after a completion goes out 2 s after that completion, not 2 s after it arrived.
     */
    @Test
    void theNextBatchingWindowStartsWhenThePreviousInvocationCompletes() throws Exception {
        LocalQueue.Queues queues = queue.create(new QueueSettings("window", false, Duration.ofSeconds(3), Duration.ofSeconds(30), 5));
        List<Long> invokedAt = new CopyOnWriteArrayList<>();
        List<Long> completedAt = new CopyOnWriteArrayList<>();
        EventSourceMapping.Function slow = event -> {
            invokedAt.add(System.nanoTime());
            events.add(JSON.readTree(event));
            Thread.sleep(500);
            completedAt.add(System.nanoTime());
            return new LocalFunction.Outcome(LocalFunction.Ending.ANSWERED, "{}");
        };
        queue.sqs().sendMessage(b -> b.queueUrl(queues.sourceUrl()).messageBody("first"));
        mapping = EventSourceMapping.start(queue.sqs(), queues, new EventSourceMapping.Settings(100, Duration.ofSeconds(2)), List.of(slow));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (completedAt.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the first invocation never completed");
            Thread.sleep(5);
        }
        Thread.sleep(Math.max(0, (completedAt.get(0) + 1_200_000_000L - System.nanoTime()) / 1_000_000));
        queue.sqs().sendMessage(b -> b.queueUrl(queues.sourceUrl()).messageBody("second"));
        awaitEvents(2);

        long afterCompletionMs = (invokedAt.get(1) - completedAt.get(0)) / 1_000_000;
        assertTrue(afterCompletionMs >= 1_900 && afterCompletionMs < 2_900,
                "invoked one window after the first invocation completed (2,000 ms), not one after the record arrived (3,200): "
                        + afterCompletionMs + " ms");
    }

    private EventSourceMapping.Function answering(String answer) {
        return event -> {
            events.add(JSON.readTree(event));
            return new LocalFunction.Outcome(LocalFunction.Ending.ANSWERED, answer);
        };
    }

    private void awaitEvents(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (events.size() < count) {
            assertTrue(System.nanoTime() < deadline, "fewer than " + count + " invocations");
            Thread.sleep(20);
        }
    }

    private EventSourceMapping.Invocation awaitInvocation(int index) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (mapping.invocations().size() <= index) {
            assertTrue(System.nanoTime() < deadline, "no invocation " + index);
            Thread.sleep(20);
        }
        return mapping.invocations().get(index);
    }
}
