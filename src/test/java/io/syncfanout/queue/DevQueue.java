package io.syncfanout.queue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The queue beside {@code quarkus dev}: the local SQS on 127.0.0.1:9324 with the source queue and its
 * dead-letter queue named as infra/ names them, and the event source mapping polling it and invoking the
 * function in dev mode through Lambda's mock event server (localhost:8080), as Lambda would.
 * <p>
 * {@code ./mvnw quarkus:dev} starts it by itself: dev mode runs the build's executions up to test-compile
 * first, and pom.xml's {@code dev-queue} execution there starts this class as {@code beside GOALS} in a JVM
 * of its own, with the test classpath. Every build runs that execution; under any goal but Quarkus's dev
 * goal it returns at once, so nothing of the queue is in a build, a package or a test run.
 * {@code DevQueue send FILE} sends the bodies of a sample event to it ({@code ./dev send}).
 * <p>
 * Ports: {@code -Ddev.queue.port} (9324) and the function's {@code -Dquarkus.lambda.mock-event-server.dev-port}
 * (8080), passed on to it by the execution.
 */
public final class DevQueue {

    static final int PORT = port("dev.queue.port", 9324);
    private static final URI FUNCTION = URI.create("http://localhost:" + port("dev.function.port", 8080) + "/");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(DevQueue.class);
    /**
     * Named as infra/ names them, but sized for a person: a poison record reaches the dead-letter queue in
     * about 40 s (2 receives, 20 s apart) instead of infra/'s 17 minutes. Dev mode's time budget is 10 s
     * (application.properties), so the visibility timeout stays twice an invocation's longest.
     */
    static final QueueSettings DEV = new QueueSettings("sync-fanout", false, Duration.ofSeconds(10), Duration.ofSeconds(20), 2);
    /**
     * infra/'s positions_lane with one queue, its 60 s window shortened to 5 s so that a person sees a position
     * published, its visibility by the same rule as the source queue's (plus the window).
     */
    static final QueueSettings DEV_POSITIONS = new QueueSettings("sync-fanout-positions-0", false, Duration.ofSeconds(10), Duration.ofSeconds(25), 2);
    static final Duration DEV_POSITIONS_WINDOW = Duration.ofSeconds(5);

    /** A complete, valid update: what the banner's command sends. */
    static final String SAMPLE_BODY = "{\"user_id\":\"u1\",\"type\":\"watchlist_update\",\"device_id\":\"phone\",\"timestamp\":117702656000000001,"
            + "\"operation\":\"Add\",\"content_id\":\"film-1\",\"unique_tag\":\"t1\"}";

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("send")) {
            if (!send(Path.of(args[1]))) {
                System.exit(1);
            }
        } else if (args.length == 2 && args[0].equals("beside")) {
            if (underDevMode(args[1])) {
                startBeside(ProcessHandle.current().parent().orElseThrow());
            }
        } else if (args.length == 2 && args[0].equals("serve-beside")) {
            serveBeside(ProcessHandle.of(Long.parseLong(args[1])).orElse(null));
        } else {
            serve(false);
        }
    }

    /**
     * Maven's goals as the build was asked for them ({@code goals=[quarkus:dev]}, or the plugin's full
     * coordinates ending in {@code :dev}); {@code [verify]}, {@code [package]} and the rest start nothing.
     */
    static boolean underDevMode(String mavenGoals) {
        for (String goal : mavenGoals.replaceFirst("^goals=", "").replaceAll("[\\[\\]]", "").split(",\\s*")) {
            if (goal.equals("quarkus:dev") || (goal.contains("quarkus-maven-plugin:") && goal.endsWith(":dev"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Maven waits for the execution's JVM, so the queue gets one of its own, with the same classpath and
     * properties, writing to the same console; this one returns at once.
     */
    private static void startBeside(ProcessHandle maven) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String property : List.of("dev.queue.port", "dev.function.port", "org.jboss.logging.provider", "java.util.logging.config.file")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DevQueue.class.getName(), "serve-beside", Long.toString(maven.pid())));
        new ProcessBuilder(command).inheritIO().start();
    }

    /**
     * Beside {@code quarkus:dev}: ends with the Maven that started it, even one killed outright, and yields to a
     * queue already on its port (dev mode reruns its executions when pom.xml changes).
     */
    private static void serveBeside(ProcessHandle maven) throws Exception {
        if (maven == null || !maven.isAlive()) {
            return;
        }
        maven.onExit().thenRun(() -> System.exit(0));
        if (!portFree(PORT)) {
            LOG.warnf("port %d is taken, by the dev queue of a dev mode already running or by another program: "
                    + "this dev mode uses what answers there (another port: -Ddev.queue.port=...)", PORT);
            return;
        }
        serve(true);
    }

    /** With {@code afterDevMode}, the banner waits for dev mode to answer, so that its start-up lines do not bury it. */
    private static void serve(boolean afterDevMode) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (LocalQueue queue = LocalQueue.start(PORT)) {
            QueueSettings settings = DEV;
            LocalQueue.Queues queues = queue.create(settings);
            LocalQueue.Queues positions = queue.createBeside(queues, DEV_POSITIONS);
            EventSourceMapping.Function devMode = event -> invoke(http, event);
            try (EventSourceMapping mapping = EventSourceMapping.start(queue.sqs(), queues,
                    new EventSourceMapping.Settings(1_000, Duration.ofSeconds(1)), List.of(devMode));
                    EventSourceMapping positionsMapping = EventSourceMapping.start(queue.sqs(), positions,
                            new EventSourceMapping.Settings(10_000, DEV_POSITIONS_WINDOW), List.of(devMode))) {
                if (afterDevMode) {
                    while (!answers(FUNCTION)) {
                        Thread.sleep(500);
                    }
                    Thread.sleep(2_000); // past dev mode's own start-up lines, which follow its listening by a second
                }
                LOG.infof("%nlocal SQS on %s: %s (dead-letter queue %s; visibility %d s, %d receives: poison is dead-lettered "
                        + "within a minute), polled as Lambda polls it (batches of up to 1,000, a 1 s window) into the function at %s%nSend an update (the AWS CLI wants a region and credentials; any will do here):%n"
                        + "  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region %s --endpoint-url %s sqs send-message "
                        + "--queue-url %s --message-body '%s'%nor a sample's bodies:%n  ./dev send samples/standard-many-users.json%n"
                        + "Playing positions' lane (infra/'s positions_lane, its 60 s window %d s here): %s%n",
                        queue.endpoint(), queues.sourceUrl(), queues.deadLetterUrl(), settings.visibilityTimeout().toSeconds(),
                        settings.maxReceiveCount(), FUNCTION, LocalQueue.REGION, queue.endpoint(),
                        queues.sourceUrl(), SAMPLE_BODY, DEV_POSITIONS_WINDOW.toSeconds(), positions.sourceUrl());
                Thread.currentThread().join(); // until dev mode stops
            }
        }
    }

    /** Dev mode answers as Lambda's Invoke does: 200 with the answer, or 500 for a function error; not up yet is an error too. */
    private static LocalFunction.Outcome invoke(HttpClient http, String event) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(FUNCTION).timeout(Duration.ofMinutes(1)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event)).build();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new LocalFunction.Outcome(answer.statusCode() == 200 ? LocalFunction.Ending.ANSWERED : LocalFunction.Ending.FUNCTION_ERROR,
                    answer.body());
        } catch (ConnectException notUp) {
            LOG.warnf("dev mode is not answering on %s yet: the batch comes back after the visibility timeout", FUNCTION);
            return new LocalFunction.Outcome(LocalFunction.Ending.FUNCTION_ERROR, null);
        }
    }

    /** A system property's port; one Maven left as its own {@code ${...}} expression was not given. */
    private static int port(String property, int otherwise) {
        String value = System.getProperty(property, "");
        return value.matches("\\d+") ? Integer.parseInt(value) : otherwise;
    }

    private static boolean answers(URI function) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(function.getHost(), function.getPort()), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The bodies of a sample event, sent to the dev queue as producers would; false, with the reason logged, if they could not be. */
    private static boolean send(Path sample) throws IOException {
        if (!Files.isRegularFile(sample)) {
            LOG.errorf("no sample %s: samples/ holds some, and java samples/Generate.java makes more", sample);
            return false;
        }
        List<String> bodies = bodies(sample);
        URI endpoint = URI.create("http://127.0.0.1:" + PORT);
        try (var sqs = LocalQueue.client(endpoint)) {
            String url = sqs.getQueueUrl(b -> b.queueName("sync-fanout")).queueUrl();
            sendAll(sqs, url, bodies);
            LOG.infof("sent %d messages from %s to %s", bodies.size(), sample, url);
            return true;
        } catch (software.amazon.awssdk.core.exception.SdkClientException notThere) {
            LOG.errorf("nothing was sent: no dev queue answers on %s; start ./mvnw quarkus:dev first", endpoint);
            return false;
        }
    }

    /** A sample event's record bodies, in order. */
    static List<String> bodies(Path sample) throws IOException {
        List<String> bodies = new ArrayList<>();
        for (JsonNode record : JSON.readTree(Files.readString(sample)).path("Records")) {
            bodies.add(record.path("body").asText());
        }
        return bodies;
    }

    /** Sends bodies as producers should: ten to a SendMessageBatch. */
    static void sendAll(software.amazon.awssdk.services.sqs.SqsClient sqs, String url, List<String> bodies) {
        for (int from = 0; from < bodies.size(); from += 10) {
            List<String> chunk = bodies.subList(from, Math.min(bodies.size(), from + 10));
            var entries = new ArrayList<software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry.builder().id("e" + i)
                        .messageBody(chunk.get(i)).build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
        }
    }
}
