package io.syncfanout.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.syncfanout.queue.EventSourceMapping;
import io.syncfanout.queue.QueueRig;
import io.syncfanout.queue.QueueSettings;
import io.syncfanout.testing.Updates;

/**
 * The figure users ask first: how long an update takes from SendMessage to PubNub's acknowledgement,
 * through the local queue, the event source mapping's rules and the packaged function, at a few rates,
 * batching windows and builds. Producers send at a steady rate for a while; each update's latency is the
 * moment the stand-in answered the publish that carried it, less the moment its SendMessageBatch was sent.
 * Writes docs/benchmarks-queue.md. {@code ./bench --queue [--builds jvm,native] [--quick]}
 */
final class QueueLatencyBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOC = Path.of("docs/benchmarks-queue.md");
    /** PubNub's round trip from Lambda, as the other benchmarks take it. */
    private static final int LATENCY_MS = 20;
    /** Execution environments: Lambda scales out; this machine has two cores. */
    private static final int ENVIRONMENTS = 2;
    private static final int USERS = 1_000;

    record Row(String build, int rate, Duration window, int batchSize, int updates, int delivered, long p50, long p99, long max,
            int invocations) {
    }

    private final PrintStream out = System.out;

    public static void main(String[] args) throws Exception {
        List<String> builds = List.of("jvm", "native");
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--queue" -> {
                }
                case "--builds" -> builds = List.of(args[++i].split(","));
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; usage: ./bench --queue [--builds jvm,native] [--quick]");
            }
        }
        new QueueLatencyBenchmark().run(builds, quick ? Duration.ofSeconds(8) : Duration.ofSeconds(20));
        System.exit(0);
    }

    void run(List<String> builds, Duration length) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String build : builds) {
            Path zip = Benchmarks.BUILDS.resolve(build).resolve("function.zip");
            if (!Files.exists(zip)) {
                throw new IllegalStateException("no " + zip + ": ./bench builds it");
            }
            for (int rate : List.of(100, 1_000)) {
                // infra/'s default (1,000 records in up to 1 s), and no window (batches of up to 10, one receive each).
                rows.add(measure(build, zip, rate, Duration.ofSeconds(1), 1_000, length));
                rows.add(measure(build, zip, rate, Duration.ZERO, 10, length));
            }
        }
        Files.writeString(DOC, markdown(rows, length));
        out.println("wrote " + DOC);
    }

    private Row measure(String build, Path zip, int rate, Duration window, int batchSize, Duration length) throws Exception {
        Path work = Files.createTempDirectory("queue-bench");
        QueueSettings settings = QueueSettings.infraDefaults("sync-fanout-bench", false);
        try (QueueRig rig = QueueRig.start(zip, work, settings, new EventSourceMapping.Settings(batchSize, window), ENVIRONMENTS, Map.of())) {
            rig.pubnub().setGlobalFixedDelay(LATENCY_MS);
            warm(rig);
            rig.pubnub().resetRequests();
            Map<String, Long> sentAtMillis = new ConcurrentHashMap<>();
            int updates = produce(rig, rate, length, sentAtMillis);
            rig.awaitDrained(Duration.ofSeconds(120));
            List<Long> latencies = latencies(rig, sentAtMillis);
            Collections.sort(latencies);
            Row row = new Row(build, rate, window, batchSize, updates, latencies.size(), percentile(latencies, 50), percentile(latencies, 99),
                    latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1), rig.mapping().invocations().size());
            out.printf("%-6s %,6d/s window %s batch %,5d: %,d of %,d acknowledged, p50 %d ms, p99 %d ms, max %d ms, %d invocations%n",
                    build, rate, window.toSeconds() + " s", batchSize, row.delivered(), updates, row.p50(), row.p99(), row.max(), row.invocations());
            return row;
        }
    }

    /** A few updates first, so that each environment's first invocation (its cold start) is not in the figures. */
    private static void warm(QueueRig rig) throws InterruptedException {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            bodies.add(Updates.watchlist("warm-" + i, "film", "Add", Updates.hlc(1_796_000_000_000L, i)));
        }
        rig.send(bodies);
        rig.awaitDrained(Duration.ofSeconds(60));
    }

    /** Two producers, each sending ten updates a SendMessageBatch, paced to {@code rate} in all. */
    private static int produce(QueueRig rig, int rate, Duration length, Map<String, Long> sentAtMillis) throws InterruptedException {
        AtomicLong sequence = new AtomicLong();
        int producers = 2;
        long total = rate * length.toSeconds();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < producers; p++) {
            Random random = new Random(p);
            Thread producer = new Thread(() -> {
                while (true) {
                    long first = sequence.getAndAdd(10);
                    if (first >= total) {
                        return;
                    }
                    long due = start + (long) (first * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    List<String> bodies = new ArrayList<>();
                    for (long n = first; n < first + 10; n++) {
                        long hlc = Updates.hlc(1_797_000_000_000L, 0) + n; // its unique_tag is "tag-" + hlc
                        bodies.add(Updates.watchlist("user-" + random.nextInt(USERS), "film-" + n, "Add", hlc));
                        sentAtMillis.put("tag-" + hlc, System.currentTimeMillis());
                    }
                    rig.send(bodies);
                }
            }, "producer-" + p);
            threads.add(producer);
            producer.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return (int) total;
    }

    /** For each update PubNub acknowledged: when the stand-in answered the publish that carried it, less when it was sent. */
    private static List<Long> latencies(QueueRig rig, Map<String, Long> sentAtMillis) throws IOException {
        List<Long> latencies = new ArrayList<>();
        for (ServeEvent event : rig.pubnub().getAllServeEvents()) {
            if (!event.getRequest().getUrl().startsWith("/publish/") || event.getResponse().getStatus() != 200) {
                continue;
            }
            long answeredAt = event.getRequest().getLoggedDate().getTime() + event.getTiming().getTotalTime();
            JsonNode message = JSON.readTree(event.getRequest().getBody());
            List<JsonNode> items = new ArrayList<>();
            if ("batch".equals(message.path("type").asText())) {
                message.path("messages").forEach(items::add);
            } else {
                items.add(message);
            }
            for (JsonNode item : items) {
                Long sentAt = sentAtMillis.remove(item.path("unique_tag").asText());
                if (sentAt != null) {
                    latencies.add(answeredAt - sentAt);
                }
            }
        }
        return latencies;
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String markdown(List<Row> rows, Duration length) {
        StringBuilder md = new StringBuilder("# From SendMessage to PubNub's acknowledgement\n\n");
        md.append("Written by `./bench --queue` on ").append(LocalDate.now()).append(". Producers send watchlist updates for ")
                .append(String.format("%,d", USERS)).append(" users at a steady rate for ").append(length.toSeconds())
                .append(" s, ten to a `SendMessageBatch`, to a real SQS on loopback (ElasticMQ 1.6.14, the queues as `infra/` makes them); ")
                .append("the local event source mapping polls it by Lambda's rules and invokes the packaged function in ").append(ENVIRONMENTS)
                .append(" execution environments on this machine's two cores (not held to a memory size's CPU share), which publishes over ")
                .append("TLS with HTTP/2 to the PubNub stand-in, ").append(LATENCY_MS).append(" ms away. Each update's latency is when the ")
                .append("stand-in answered the publish that carried it, less when its `SendMessageBatch` was sent; each environment's first ")
                .append("invocation is left out (a warm-up of 40 updates).\n\n");
        md.append("| build | rate | batching window | batch size | acknowledged | p50 | p99 | max | invocations |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            md.append(String.format("| %s | %,d/s | %d s | %,d | %,d of %,d | %d ms | %d ms | %d ms | %,d |%n", row.build(), row.rate(),
                    row.window().toSeconds(), row.batchSize(), row.delivered(), row.updates(), row.p50(), row.p99(), row.max(), row.invocations()));
        }
        md.append("\n- The window is the largest part of the wait at `infra/`'s default: Lambda gathers records for up to "
                + "`maximum_batching_window_in_seconds` before it invokes, so an update waits up to a second for company. Without a "
                + "window each receive (up to 10 records) is one invocation: lower latency, many times the invocations and publishes "
                + "(see [capacity.md](capacity.md) for what that costs at scale).\n");
        md.append("- Without a window at 1,000 a second, two environments fall behind: every invocation of up to 10 records is a "
                + "receive, a publish round and a delete, and the backlog is the latency. Lambda would add pollers and environments "
                + "(up to `maximum_concurrency`); the capacity simulator ([capacity.md](capacity.md)) models that scaling.\n");
        md.append("- What this does not include: SQS's own time in AWS (ElasticMQ is on loopback), PubNub's delivery to subscribers "
                + "after its acknowledgement, and Lambda's own polling cadence beyond the rules the mapping keeps (it polls as soon as "
                + "it can, with five pollers or more in AWS against the two here).\n");
        return md.toString();
    }
}
