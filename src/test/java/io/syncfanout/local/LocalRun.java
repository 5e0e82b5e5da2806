package io.syncfanout.local;

import java.io.PrintStream;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.syncfanout.testing.PubNubStandIn;

/**
 * Runs {@code target/function.zip} on a sample SQS event the way Lambda runs it, and tells what
 * happened. Offline by default: a PubNub stand-in records what each channel receives. With
 * {@code PUBNUB_PUBLISH_KEY} and {@code PUBNUB_SUBSCRIBE_KEY} in the environment it publishes to real
 * PubNub instead.
 *
 * <pre>./run-sample samples/standard-many-users.json</pre>
 */
public final class LocalRun {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RECORD_LINE = Pattern.compile("record (\\S+) (?:failed|rejected): (.*)$");
    private static final Pattern PUBLISHED_LINE = Pattern.compile("published ChannelBatch\\[(\\S+), (\\d+) items, (\\d+) bytes");
    private static final Pattern SUMMARY_LINE = Pattern.compile("(sync-fanout invocation: [^\"]*)");

    /** The function timeout infra/ deploys with by default. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final PrintStream out;
    private final Path functionZip;
    private final Path workDir;
    private final Map<String, String> environment;
    private final String handler;
    private Duration functionTimeout = DEFAULT_TIMEOUT;
    private Integer memoryMb;

    public LocalRun(PrintStream out, Path functionZip, Path workDir, Map<String, String> environment) {
        this(out, functionZip, workDir, environment, LambdaProcess.HANDLER);
    }

    /** @param handler the Lambda handler, as set on the function (infra/ sets {@link LambdaProcess#HANDLER}) */
    public LocalRun(PrintStream out, Path functionZip, Path workDir, Map<String, String> environment, String handler) {
        this.handler = handler;
        this.out = out;
        this.functionZip = functionZip;
        this.workDir = workDir;
        this.environment = environment;
    }

    /** The function timeout Lambda's deadline is counted from (default: infra/'s 30 s). */
    public LocalRun timeout(Duration timeout) {
        this.functionTimeout = timeout;
        return this;
    }

    /** Holds the function to this memory size's CPU share and memory, as Lambda does (default: the whole machine). */
    public LocalRun memory(int megabytes) {
        this.memoryMb = megabytes;
        return this;
    }

    public static void main(String[] args) throws Exception {
        LocalRun run = new LocalRun(System.out, Path.of(System.getProperty("function.zip", "target/function.zip")), Path.of("target/local-run"), System.getenv());
        Path sample = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--memory" -> run.memory(Integer.parseInt(args[++i]));
                case "--timeout" -> run.timeout(Duration.ofSeconds(Long.parseLong(args[++i])));
                default -> sample = Path.of(args[i]);
            }
        }
        if (sample == null) {
            System.err.println("usage: ./run-sample [--native] [--memory MB] [--timeout SECONDS] <sqs-event.json>"
                    + "   (samples/ holds some; samples/Generate.java makes more)");
            System.exit(2);
        }
        RunReport report = run.run(sample);
        System.exit(report.summary() == null ? 1 : 0);
    }

    public RunReport run(Path sample) throws Exception {
        String event = Files.readString(sample);
        int records = JSON.readTree(event).path("Records").size();
        boolean realPubNub = present("PUBNUB_PUBLISH_KEY") && present("PUBNUB_SUBSCRIBE_KEY");
        Files.createDirectories(workDir);
        if (!Files.exists(functionZip)) {
            throw new IllegalStateException(functionZip + " is missing: build it with ./mvnw package");
        }

        WireMockServer standIn = null;
        LambdaRuntimeApi runtimeApi = LambdaRuntimeApi.start(functionTimeout);
        LambdaSize size = memoryMb == null ? null : LambdaSize.of(memoryMb);
        try {
            Map<String, String> functionEnv = new HashMap<>();
            if (realPubNub) {
                out.println("Publishing to real PubNub (" + environment.getOrDefault("PUBNUB_ORIGIN", "https://ps.pndsn.com")
                        + ") with the keys in PUBNUB_PUBLISH_KEY and PUBNUB_SUBSCRIBE_KEY");
                copy(functionEnv, "PUBNUB_ORIGIN", "PUBNUB_PUBLISH_KEY", "PUBNUB_SUBSCRIBE_KEY", "PUBNUB_SECRET_KEY",
                        "PUBNUB_AUTH_KEY", "PUBNUB_UUID");
                // The publish lines at DEBUG are the account of what went out.
                functionEnv.put("QUARKUS_LOG_CATEGORY__IO_SYNCFANOUT_FANOUT__LEVEL", "DEBUG");
            } else {
                standIn = PubNubStandIn.newServer(0);
                standIn.start();
                functionEnv.putAll(PubNubStandIn.functionEnvironment(standIn));
                out.println("PubNub stand-in on " + functionEnv.get("PUBNUB_ORIGIN") + (standIn.isHttpsEnabled()
                        ? " (TLS with a private CA the function trusts; STANDIN_TRANSPORT=https-http1 or http for the others)" : "")
                        + " (set PUBNUB_PUBLISH_KEY and PUBNUB_SUBSCRIBE_KEY to publish to real PubNub)");
            }
            // The function's own settings and log levels, as a deployment would set them.
            environment.forEach((name, value) -> {
                if (name.startsWith("SYNC_") || name.startsWith("QUARKUS_LOG_")) {
                    functionEnv.put(name, value);
                }
            });
            try (LambdaProcess function = LambdaProcess.start(functionZip, workDir, runtimeApi.address(), handler, functionEnv, size)) {
                out.println("Lambda Runtime API on " + runtimeApi.address() + " (function timeout " + functionTimeout.toSeconds() + " s); "
                        + functionZip + (function.isNative() ? " as its native bootstrap (provided.al2023)"
                                : " under AWS's Lambda Java runtime client, handler " + handler)
                        + (size == null ? ", on the whole machine" : String.format(", held to %d MB (%.2f vCPU)", size.memoryMb(), size.vcpus())));
                out.println("Invoking with " + sample + " (" + records + " records); the function's log goes to "
                        + workDir.resolve("function.log"));
                long start = System.nanoTime();
                String answer = invoke(runtimeApi, event, function, standIn, start);
                long millis = (System.nanoTime() - start) / 1_000_000;
                waitForSummary(function);
                RunReport report = report(answer, function.output(), standIn, millis);
                report.print(out, records);
                return report;
            }
        } finally {
            runtimeApi.close();
            if (standIn != null) {
                standIn.stop();
            }
            if (size != null) {
                size.close();
            }
        }
    }

    /** Posts the event and waits for the answer, telling how far a long run has got. */
    private String invoke(LambdaRuntimeApi runtimeApi, String event, LambdaProcess function, WireMockServer standIn, long start)
            throws Exception {
        CompletableFuture<HttpResponse<String>> answer = runtimeApi.invokeAsync(event);
        while (true) {
            try {
                HttpResponse<String> response = answer.get(2, TimeUnit.SECONDS);
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("the function failed as a whole (HTTP " + response.statusCode() + "): "
                            + response.body() + "\n" + function.tail());
                }
                return response.body();
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                if (!function.isAlive()) {
                    throw new IllegalStateException("the function exited before answering:\n" + function.tail());
                }
                long seconds = (System.nanoTime() - start) / 1_000_000_000;
                out.println("  … " + seconds + " s" + (standIn == null ? ""
                        : ", " + standIn.getAllServeEvents().size() + " publishes received by the stand-in so far"));
            }
        }
    }

    /** The summary is logged just before the answer; give the log a moment to catch up. */
    private static void waitForSummary(LambdaProcess function) throws InterruptedException {
        for (int i = 0; i < 50 && function.output().stream().noneMatch(l -> SUMMARY_LINE.matcher(l).find()); i++) {
            Thread.sleep(100);
        }
    }

    private RunReport report(String answer, List<String> log, WireMockServer standIn, long millis) throws Exception {
        List<String> failedIds = new ArrayList<>();
        JSON.readTree(answer).path("batchItemFailures").forEach(f -> failedIds.add(f.path("itemIdentifier").asText()));
        Map<String, String> reasons = new HashMap<>();
        String summary = null;
        Map<String, RunReport.ChannelAccount> channels = new TreeMap<>();
        for (String raw : log) {
            String line = messageOf(raw);
            Matcher record = RECORD_LINE.matcher(line);
            if (record.find()) {
                reasons.put(record.group(1), record.group(2));
            }
            Matcher summaryLine = SUMMARY_LINE.matcher(line);
            if (summaryLine.find()) {
                summary = summaryLine.group(1);
            }
            Matcher published = PUBLISHED_LINE.matcher(line);
            if (standIn == null && published.find()) {
                add(channels, published.group(1), Integer.parseInt(published.group(2)), Long.parseLong(published.group(3)));
            }
        }
        List<String> refused = new ArrayList<>();
        Map<String, List<JsonNode>> messages = new TreeMap<>();
        if (standIn != null) {
            List<ServeEvent> events = new ArrayList<>(standIn.getAllServeEvents());
            events.sort(java.util.Comparator.comparing(e -> e.getRequest().getLoggedDate()));
            for (ServeEvent served : events) {
                String path = served.getRequest().getUrl().split("\\?")[0];
                String[] segments = path.split("/");
                String channel = segments.length > 5 ? URLDecoder.decode(segments[5], StandardCharsets.UTF_8) : path;
                int status = served.getResponse().getStatus();
                if (status == 200) {
                    JsonNode message = JSON.readTree(served.getRequest().getBody());
                    int items = "batch".equals(message.path("type").asText()) ? message.path("messages").size() : 1;
                    add(channels, channel, items, served.getRequest().getBody().length);
                    messages.computeIfAbsent(channel, c -> new ArrayList<>()).add(message);
                } else {
                    refused.add(channel + "  HTTP " + status + "  " + served.getResponse().getBodyAsString());
                }
            }
        }
        return new RunReport(answer, failedIds, channels, refused, reasons, summary, millis, messages);
    }

    /** The function logs JSON lines in prod; what a person reads is their {@code message}. */
    private static String messageOf(String line) {
        if (!line.startsWith("{")) {
            return line;
        }
        try {
            JsonNode json = JSON.readTree(line);
            return json.path("message").isTextual() ? json.path("message").asText() : line;
        } catch (java.io.IOException notJson) {
            return line;
        }
    }

    private static void add(Map<String, RunReport.ChannelAccount> channels, String channel, int items, long bytes) {
        channels.merge(channel, new RunReport.ChannelAccount(1, items, bytes),
                (a, b) -> new RunReport.ChannelAccount(a.publishes() + b.publishes(), a.items() + b.items(), a.bytes() + b.bytes()));
    }

    private boolean present(String name) {
        String value = environment.get(name);
        return value != null && !value.isBlank();
    }

    private void copy(Map<String, String> target, String... names) {
        for (String name : names) {
            if (present(name)) {
                target.put(name, environment.get(name));
            }
        }
    }
}
