package io.syncfanout.sqs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.syncfanout.config.SyncConfig;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The SDK's SQS client, over the JDK's HttpURLConnection, and the small pool that makes its calls in
 * parallel: a batch of 1,000 failed records is 100 calls of 10, which one after another at a region's
 * 10-20 ms would not fit the time kept for them. It finds its endpoint as every AWS SDK does
 * ({@code AWS_ENDPOINT_URL_SQS} points it at a local queue); its credentials are Lambda's
 * (environment variables, or the container endpoint SnapStart uses).
 *
 * <p>Making the client loads a few hundred classes (most of a second on a cold JVM at a fraction of a
 * vCPU), so it is made on a thread of its own, and never waited for past a deadline.
 */
@ApplicationScoped
public class QueueClient {

    private final int concurrency;
    private final Supplier<SqsClient> maker;
    private volatile CompletableFuture<SqsClient> client;
    private volatile ExecutorService pool;

    @Inject
    public QueueClient(SyncConfig config) {
        this(config.redelivery().concurrency(), null);
    }

    /** With a client of the caller's making (null: Lambda's), for tests against a local queue. */
    QueueClient(int concurrency, Supplier<SqsClient> maker) {
        this.concurrency = Math.max(1, concurrency);
        this.maker = maker == null ? this::newClient : maker;
    }

    /** Starts making the client, if nobody has: returns at once. */
    public void makeSoon() {
        made();
    }

    /** Makes the client and waits for it: before a SnapStart snapshot, so that it holds it. */
    public void prime() {
        made().join();
    }

    /** The client, if it is ready by {@code endsNanos} (System.nanoTime()); null if not yet. */
    SqsClient ready(long endsNanos) {
        CompletableFuture<SqsClient> made = made();
        try {
            return made.get(Math.max(0, endsNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException notYet) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            synchronized (this) {
                client = null; // tried again next time
            }
            throw e.getCause() instanceof SdkException sdk ? sdk : SdkClientException.create("could not make the SQS client", e.getCause());
        }
    }

    /** The threads the calls run on, as many as {@code sync.redelivery.concurrency}. */
    ExecutorService pool() {
        ExecutorService threads = pool;
        if (threads == null) {
            synchronized (this) {
                threads = pool;
                if (threads == null) {
                    AtomicInteger count = new AtomicInteger();
                    pool = threads = Executors.newFixedThreadPool(concurrency, runnable -> {
                        Thread thread = new Thread(runnable, "sqs-redelivery-" + count.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
                }
            }
        }
        return threads;
    }

    private CompletableFuture<SqsClient> made() {
        CompletableFuture<SqsClient> made = client;
        if (made == null) {
            synchronized (this) {
                made = client;
                if (made == null) {
                    client = made = CompletableFuture.supplyAsync(maker, runnable -> {
                        Thread maker = new Thread(runnable, "sqs-client");
                        maker.setDaemon(true);
                        maker.start();
                    });
                }
            }
        }
        return made;
    }

    private SqsClient newClient() {
        // HttpURLConnection keeps 5 idle connections to a host unless told otherwise: as many as the pool
        // has threads, so that each call does not open (and, to SQS, handshake) a connection of its own.
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(Math.max(5, concurrency)));
        }
        return SqsClient.builder()
                .region(Region.of(System.getenv().getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(AwsCredentialsProviderChain.of(EnvironmentVariableCredentialsProvider.create(),
                        ContainerCredentialsProvider.create()))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
