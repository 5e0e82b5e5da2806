package io.syncfanout.sqs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.syncfanout.config.SyncConfig;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;

/**
 * Keeps records that failed for an outage away from the queue for a while, so that their redeliveries
 * are spread over the outage instead of burning the receives that send a record to the dead-letter
 * queue: ChangeMessageVisibility on each record's receipt handle, the delay growing with its receive
 * count (RedeliveryBackoff). The records are reported failed all the same: a delay that SQS refuses, or
 * a call that fails, only leaves them the queue's own visibility timeout, and says so in a WARN.
 *
 * <p>The SDK's SQS client is made at the first outage, not at start-up (nothing of it on the cold-start
 * path), on a thread of its own, over the JDK's HttpURLConnection. It finds its endpoint as every AWS SDK does, so
 * {@code AWS_ENDPOINT_URL_SQS} points it at a local queue; its credentials are Lambda's
 * (environment variables, or the container endpoint SnapStart uses).
 */
@ApplicationScoped
public class RedeliveryDelays {

    private static final Logger LOG = Logger.getLogger(RedeliveryDelays.class);
    /** SQS: at most 10 entries per ChangeMessageVisibilityBatch. */
    private static final int MAX_ENTRIES = 10;
    /** Too little time for a round trip to SQS: not tried. */
    private static final Duration TOO_LITTLE = Duration.ofMillis(20);

    @Inject
    SyncConfig config;

    private volatile CompletableFuture<SqsClient> client;

    /**
     * Delays the redelivery of these records, within {@code timeLeft}. Returns how many SQS delayed.
     */
    public int delay(List<Redelivery> records, Duration timeLeft) {
        SyncConfig.Redelivery settings = config.redelivery();
        if (records.isEmpty() || !settings.backoffEnabled()) {
            return 0;
        }
        Duration timeout = settings.callTimeout().compareTo(timeLeft) < 0 ? settings.callTimeout() : timeLeft;
        if (timeout.compareTo(TOO_LITTLE) < 0) {
            LOG.warnf("%d records failed for an outage, but no time was left to delay their redelivery: SQS delivers them "
                    + "again after the queue's visibility timeout", records.size());
            return 0;
        }
        RedeliveryBackoff backoff = new RedeliveryBackoff(settings.backoffBase(), settings.backoffMultiplier(), settings.backoffMax());
        Map<String, List<Redelivery>> byQueue = new LinkedHashMap<>();
        records.forEach(record -> byQueue.computeIfAbsent(record.queueArn(), arn -> new ArrayList<>()).add(record));
        long ends = System.nanoTime() + timeout.toNanos();
        int delayed = 0;
        for (Map.Entry<String, List<Redelivery>> queue : byQueue.entrySet()) {
            try {
                delayed += delay(queue.getKey(), queue.getValue(), backoff, ends);
            } catch (RuntimeException e) {
                // Whatever a record's attributes hold, the answer to Lambda goes out: the records are reported failed regardless.
                LOG.warnf("could not delay the redelivery of %d records: %s", queue.getValue().size(), e.getClass().getSimpleName());
            }
        }
        return delayed;
    }

    private int delay(String queueArn, List<Redelivery> records, RedeliveryBackoff backoff, long ends) {
        QueueArn arn = QueueArn.parse(queueArn);
        if (arn == null) {
            LOG.warnf("%d records failed for an outage, but their eventSourceARN is not an SQS queue's: their redelivery is not delayed",
                    records.size());
            return 0;
        }
        int delayed = 0;
        List<String> refused = new ArrayList<>();
        for (int from = 0; from < records.size(); from += MAX_ENTRIES) {
            List<Redelivery> chunk = records.subList(from, Math.min(records.size(), from + MAX_ENTRIES));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle())
                        .visibilityTimeout((int) backoff.after(chunk.get(i).receiveCount()).toSeconds()).build());
            }
            long left = ends - System.nanoTime();
            if (left < TOO_LITTLE.toNanos()) {
                LOG.warnf("no time was left to delay the redelivery of %d more records of %s", records.size() - from, arn.name());
                break;
            }
            try {
                SqsClient sqs = client(ends);
                if (sqs == null) {
                    LOG.warnf("the SQS client is still being made (once per instance): the redelivery of %d records of %s is not "
                            + "delayed; SQS delivers them again after the queue's visibility timeout", records.size() - from, arn.name());
                    break;
                }
                Duration callTimeout = Duration.ofNanos(Math.max(1_000_000, ends - System.nanoTime()));
                ChangeMessageVisibilityBatchResponse answer = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(arn.url())
                        .entries(entries).overrideConfiguration(AwsRequestOverrideConfiguration.builder()
                                .apiCallTimeout(callTimeout).build()));
                delayed += answer.successful().size();
                for (BatchResultErrorEntry error : answer.failed()) {
                    refused.add(chunk.get(Integer.parseInt(error.id())).messageId() + " (" + error.code() + ")");
                }
            } catch (SdkException | IllegalArgumentException e) {
                LOG.warnf("could not delay the redelivery of %d records of %s: %s: %s. SQS delivers them again after the queue's "
                        + "visibility timeout", chunk.size(), arn.name(), e.getClass().getSimpleName(), firstLine(e.getMessage()));
            }
        }
        if (!refused.isEmpty()) {
            LOG.warnf("SQS did not delay the redelivery of %d records of %s: %s", refused.size(), arn.name(), String.join(", ", refused));
        }
        return delayed;
    }

    /** Makes the client ahead of need: the SnapStart snapshot then holds it, classes loaded. */
    public void prime() {
        client(Long.MAX_VALUE);
    }

    /**
     * The client, if it is ready by {@code ends} (System.nanoTime()). Making it loads a few hundred classes
     * (most of a second on a cold JVM at a fraction of a vCPU): that happens once, on a thread of its own,
     * so that an invocation never waits for it past its deadline. One that finds it not ready leaves its
     * records the queue's visibility timeout; the next one finds the client made.
     */
    private SqsClient client(long ends) {
        CompletableFuture<SqsClient> made = client;
        if (made == null) {
            synchronized (this) {
                made = client;
                if (made == null) {
                    client = made = CompletableFuture.supplyAsync(RedeliveryDelays::newClient, runnable -> {
                        Thread maker = new Thread(runnable, "sqs-client");
                        maker.setDaemon(true);
                        maker.start();
                    });
                }
            }
        }
        try {
            return ends == Long.MAX_VALUE ? made.join() : made.get(Math.max(0, ends - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException notYet) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | java.util.concurrent.CompletionException e) {
            synchronized (this) {
                client = null; // tried again next time
            }
            throw e.getCause() instanceof SdkException sdk ? sdk : SdkClientException.create("could not make the SQS client", e.getCause());
        }
    }

    private static SqsClient newClient() {
        return SqsClient.builder()
                .region(Region.of(System.getenv().getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(AwsCredentialsProviderChain.of(EnvironmentVariableCredentialsProvider.create(),
                        ContainerCredentialsProvider.create()))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
