package io.syncfanout.queue;

import static io.syncfanout.testing.ConsoleLines.awaitLine;
import static io.syncfanout.testing.ConsoleLines.freePort;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.syncfanout.testing.ConsoleLines;
import io.syncfanout.testing.SummaryLines;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Dev mode as a newcomer starts it: {@code ./mvnw quarkus:dev}, and nothing else. It must bring its own
 * queue, take what a producer sends there, publish it, show the function's summary in a console a person can
 * read, and dead-letter poison within a minute. Ports are moved off the defaults only so that a dev mode
 * already running on this machine does not answer in its place. JVM build only: this is dev mode, not the
 * packaged function.
 */
class DevModeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void quarkusDevAloneTakesUpdatesFromItsQueuePublishesThemAndDeadLettersPoisonWithinAMinute() throws Exception {
        int function = freePort();
        int queuePort = freePort();
        int standIn = freePort();
        List<String> console = new CopyOnWriteArrayList<>();
        Process dev = ConsoleLines.start(new ProcessBuilder(List.of("./mvnw", "-B", "quarkus:dev", "-Ddebug=false", "-Dquarkus.analytics.disabled=true",
                "-Dquarkus.lambda.mock-event-server.dev-port=" + function, "-Ddev.queue.port=" + queuePort,
                "-D%dev.quarkus.wiremock.devservices.port=" + standIn, "-D%dev.pubnub.origin=http://127.0.0.1:" + standIn)), console);
        try {
            String queueUrl = "http://127.0.0.1:" + queuePort + "/123456789012/sync-fanout";
            // Maven, the build's executions and dev mode's start: minutes on a busy machine, seconds on a laptop.
            awaitLine(console, "local SQS on http://127.0.0.1:" + queuePort + ": " + queueUrl, Duration.ofMinutes(5));
            awaitLine(console, "--queue-url " + queueUrl + " --message-body '" + DevQueue.SAMPLE_BODY + "'", Duration.ofSeconds(5));

            try (SqsClient sqs = LocalQueue.client(URI.create("http://127.0.0.1:" + queuePort))) {
                // The banner's update and a poison body, as a producer sends them.
                int before = console.size();
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(DevQueue.SAMPLE_BODY));
                long poisonSent = System.nanoTime();
                sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("not an update"));
                awaitLine(console, "sync-fanout invocation: records=", Duration.ofSeconds(60));
                assertTrue(published(standIn, "user.u1.sync", "film-1"), "the stand-in took u1's update on its channel");
                awaitLine(console, "rejected: body is not valid JSON", Duration.ofSeconds(5));

                // PubNub down for this user (the stand-in's 503): the record is parked on the dev queue, as on AWS.
                String outage = DevQueue.SAMPLE_BODY.replace("\"u1\"", "\"unavailable-ann\"");
                String outageId = sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(outage)).messageId();
                awaitLine(console, "record " + outageId + " failed: ", Duration.ofSeconds(60));
                String warn = console.stream().filter(line -> line.contains("record " + outageId + " failed: ")).findFirst().orElseThrow();
                assertTrue(warn.contains("parked on sync-fanout for 60 s"), warn);

                // A playing position on the positions lane's queue: published after its 5 s window.
                String positionsUrl = "http://127.0.0.1:" + queuePort + "/123456789012/sync-fanout-positions-0";
                awaitLine(console, "Playing positions' lane (infra/'s positions_lane, its 60 s window 5 s here): " + positionsUrl,
                        Duration.ofSeconds(5));
                sqs.sendMessage(b -> b.queueUrl(positionsUrl).messageBody(io.syncfanout.testing.Updates.progress("u2", "film-3",
                        io.syncfanout.testing.Updates.hlc(1_796_000_000_000L, 0), 4242)));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!published(standIn, "user.u2.sync", "\"position_seconds\":4242")) {
                    assertTrue(System.nanoTime() < deadline, "the position sent to the positions lane was not published");
                    Thread.sleep(200);
                }

                // A sample's 300 updates: the console gains the function's summaries and WARNs, not a line per request.
                List<String> bodies = DevQueue.bodies(Path.of("samples/standard-many-users.json"));
                int beforeSample = console.size();
                DevQueue.sendAll(sqs, queueUrl, bodies);
                awaitSummedRecords(console, beforeSample, bodies.size(), Duration.ofSeconds(60));
                int added = console.size() - beforeSample;
                assertTrue(added <= 200, "300 updates added " + added + " console lines:\n"
                        + String.join("\n", console.subList(beforeSample, console.size())));

                Message dead = awaitDeadLetter(sqs, queueUrl + "-dlq", Duration.ofSeconds(90));
                double seconds = (System.nanoTime() - poisonSent) / 1e9;
                assertTrue(dead.body().equals("not an update"), dead.body());
                assertTrue(seconds < 60, "poison reached the dead-letter queue after " + seconds + " s");

                for (String line : console.subList(before, console.size())) {
                    assertTrue(!line.contains("demo-pub") && !line.contains("/publish/"), "no key and no publish URL: " + line);
                    assertTrue(!line.contains("ERROR"), "nothing is wrong, and nothing says ERROR: " + line);
                }
            }
        } finally {
            stop(dev);
        }
    }

    /** The stand-in's journal (WireMock's admin API): a publish on the channel whose body carries the text. */
    private static boolean published(int standIn, String channel, String text) throws IOException, InterruptedException {
        HttpResponse<String> journal = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + standIn + "/__admin/requests")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode served : JSON.readTree(journal.body()).path("requests")) {
            JsonNode request = served.path("request");
            if (request.path("url").asText().contains("/" + channel + "/") && request.path("body").asText().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static void awaitSummedRecords(List<String> console, int from, int records, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            int seen = SummaryLines.sum(console.subList(from, console.size()), "records");
            if (seen >= records) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "summaries counted " + seen + " of " + records + " records");
            Thread.sleep(200);
        }
    }

    private static Message awaitDeadLetter(SqsClient sqs, String url, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages();
            if (!messages.isEmpty()) {
                return messages.get(0);
            }
        }
        throw new AssertionError("nothing reached " + url + " in " + limit);
    }

    /** Maven, dev mode's JVM and the queue's: all of them, so that none keeps a port for the next test. */
    private static void stop(Process dev) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(dev.descendants().toList());
        dev.destroy();
        dev.waitFor(20, TimeUnit.SECONDS);
        for (ProcessHandle left : all) {
            left.destroyForcibly();
        }
        dev.destroyForcibly();
    }
}
