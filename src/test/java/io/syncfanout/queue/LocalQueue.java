package io.syncfanout.queue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A real SQS on loopback: ElasticMQ embedded in this JVM, on a free port of 127.0.0.1, driven by the
 * AWS SDK for Java v2 as producers and Lambda's pollers drive SQS. Test and dev scope only.
 */
public final class LocalQueue implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";

    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient sqs;

    private LocalQueue(SQSRestServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
        this.sqs = client(endpoint);
    }

    public static LocalQueue start() {
        return start(0);
    }

    /** On this port of 127.0.0.1 (0: a free one). */
    public static LocalQueue start(int port) {
        SQSRestServer server = (port == 0 ? SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
                : SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)).withAWSRegion(REGION).withAWSAccountId(ACCOUNT).start();
        InetSocketAddress bound = server.waitUntilStarted().localAddress();
        return new LocalQueue(server, URI.create("http://127.0.0.1:" + bound.getPort()));
    }

    /** An SDK client for this queue, as a producer would make one (any credentials: ElasticMQ checks none). */
    public static SqsClient client(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** What the function is given as {@code AWS_ENDPOINT_URL_SQS}, the SDKs' endpoint override. */
    public URI endpoint() {
        return endpoint;
    }

    public SqsClient sqs() {
        return sqs;
    }

    /** Makes the source queue and its dead-letter queue as infra/ makes them. */
    public Queues create(QueueSettings settings) {
        Map<QueueAttributeName, String> common = settings.fifo() ? Map.of(QueueAttributeName.FIFO_QUEUE, "true") : Map.of();
        String dlqUrl = sqs.createQueue(b -> b.queueName(settings.deadLetterName()).attributes(common)).queueUrl();
        String dlqArn = arn(dlqUrl);
        Map<QueueAttributeName, String> source = new java.util.HashMap<>(common);
        if (settings.fifo()) {
            source.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true");
        }
        source.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(settings.visibilityTimeout().toSeconds()));
        source.put(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":" + settings.maxReceiveCount() + "}");
        String sourceUrl = sqs.createQueue(b -> b.queueName(settings.sourceName()).attributes(source)).queueUrl();
        return new Queues(settings, sourceUrl, arn(sourceUrl), dlqUrl, dlqArn);
    }

    /**
     * A second source queue beside {@code lane}'s, redriving to the same dead-letter queue, as infra/'s
     * positions_lane makes its queues (standard queues only).
     */
    public Queues createBeside(Queues lane, QueueSettings settings) {
        Map<QueueAttributeName, String> source = new java.util.HashMap<>();
        source.put(QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(settings.visibilityTimeout().toSeconds()));
        source.put(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + lane.deadLetterArn() + "\",\"maxReceiveCount\":" + settings.maxReceiveCount() + "}");
        String sourceUrl = sqs.createQueue(b -> b.queueName(settings.sourceName()).attributes(source)).queueUrl();
        return new Queues(settings, sourceUrl, arn(sourceUrl), lane.deadLetterUrl(), lane.deadLetterArn());
    }

    private String arn(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /**
     * Sends bodies as a producer does, ten to a SendMessageBatch; on FIFO each with its group (null on a
     * standard queue). Returns the bodies by the messageId SQS gave them, in the order sent.
     */
    public java.util.LinkedHashMap<String, String> send(Queues queues, java.util.List<String> bodies, java.util.List<String> groups) {
        java.util.LinkedHashMap<String, String> sent = new java.util.LinkedHashMap<>();
        for (int from = 0; from < bodies.size(); from += 10) {
            java.util.List<SendMessageBatchRequestEntry> entries = new java.util.ArrayList<>();
            for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
                SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(bodies.get(i));
                if (groups != null) {
                    entry.messageGroupId(groups.get(i));
                }
                entries.add(entry.build());
            }
            var result = sqs.sendMessageBatch(b -> b.queueUrl(queues.sourceUrl()).entries(entries));
            if (!result.failed().isEmpty()) {
                throw new IllegalStateException("SendMessageBatch refused " + result.failed());
            }
            Map<String, String> byEntry = new java.util.HashMap<>();
            result.successful().forEach(ok -> byEntry.put(ok.id(), ok.messageId()));
            for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
                sent.put(byEntry.get("e" + i), bodies.get(i));
            }
        }
        return sent;
    }

    /** Visible, in-flight and delayed messages of a queue. */
    public int messagesIn(String queueUrl) {
        Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return counts.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** The dead-letter queue's messages, by messageId (read without taking them: visibility 0). */
    public Map<String, String> deadLetters(Queues queues) {
        Map<String, String> letters = new java.util.LinkedHashMap<>();
        for (int round = 0; round < 20 && letters.size() < messagesIn(queues.deadLetterUrl()); round++) {
            sqs.receiveMessage(b -> b.queueUrl(queues.deadLetterUrl()).maxNumberOfMessages(10).visibilityTimeout(0).waitTimeSeconds(0))
                    .messages().forEach(message -> letters.put(message.messageId(), message.body()));
        }
        return letters;
    }

    /**
     * Waits until the source queue holds nothing, visible, in flight or delayed, and no invocation is
     * running: every record was deleted after its delivery or moved to the dead-letter queue.
     */
    public void awaitDrained(Queues queues, EventSourceMapping mapping, java.time.Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (messagesIn(queues.sourceUrl()) > 0 || mapping.inFlight() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the source queue still holds " + messagesIn(queues.sourceUrl()) + " messages after "
                        + limit.toSeconds() + " s; invocations: " + mapping.invocations().size());
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        sqs.close();
        server.stopAndWait();
    }

    /** A source queue and its dead-letter queue. */
    public record Queues(QueueSettings settings, String sourceUrl, String sourceArn, String deadLetterUrl, String deadLetterArn) {
    }
}
