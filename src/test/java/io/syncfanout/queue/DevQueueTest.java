package io.syncfanout.queue;

import static io.syncfanout.testing.ConsoleLines.awaitLine;
import static io.syncfanout.testing.ConsoleLines.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.syncfanout.record.RecordReader;
import io.syncfanout.record.SqsRecord;
import io.syncfanout.record.SyncItem;
import io.syncfanout.testing.ConsoleLines;

/**
 * What {@code ./dev} prints to a person, read as a person reads it: the tools run as the script runs them, in
 * a JVM of their own with its logging configuration. A refactor that silences them fails here.
 */
class DevQueueTest {

    @Test
    void theDevQueueSaysWhereItIsHowToSendToItWhatWasSentAndThatDevModeIsNotUpYet() throws Exception {
        int port = freePort();
        int closed = freePort();
        List<String> ports = List.of("-Ddev.queue.port=" + port, "-Ddev.function.port=" + closed);
        List<String> queueLines = new CopyOnWriteArrayList<>();
        Process queue = start(ports, List.of(), queueLines);
        try {
            awaitLine(queueLines, "./dev send samples/standard-many-users.json", Duration.ofSeconds(60));
            String banner = String.join("\n", queueLines);
            assertTrue(banner.contains("local SQS on http://127.0.0.1:" + port + ": http://127.0.0.1:" + port + "/123456789012/sync-fanout"),
                    banner);
            assertTrue(banner.contains("dead-letter queue http://127.0.0.1:" + port + "/123456789012/sync-fanout-dlq; visibility 20 s, "
                    + "2 receives: poison is dead-lettered within a minute"), banner);
            assertTrue(banner.contains("AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region us-east-1 --endpoint-url http://127.0.0.1:"
                    + port + " sqs send-message --queue-url http://127.0.0.1:" + port + "/123456789012/sync-fanout --message-body '"
                    + DevQueue.SAMPLE_BODY + "'"), "a command that runs as written: " + banner);
            assertTrue(new RecordReader().read(new SqsRecord(0, "m0", null, DevQueue.SAMPLE_BODY)) instanceof SyncItem,
                    "the banner's body is a valid update");
            assertTrue(Files.readString(Path.of("README.md")).contains("--message-body '" + DevQueue.SAMPLE_BODY + "'"),
                    "the README's command sends the same valid body");

            List<String> sendLines = new CopyOnWriteArrayList<>();
            Process send = start(ports, List.of("send", "samples/standard-many-users.json"), sendLines);
            assertTrue(send.waitFor(60, TimeUnit.SECONDS), "./dev send ended");
            int records = new ObjectMapper().readTree(Files.readString(Path.of("samples/standard-many-users.json"))).path("Records").size();
            awaitLine(sendLines, "sent " + records + " messages from samples/standard-many-users.json to http://127.0.0.1:" + port,
                    Duration.ofSeconds(5));
            assertEquals(0, send.exitValue());

            awaitLine(queueLines, "dev mode is not answering on http://localhost:" + closed + "/ yet", Duration.ofSeconds(30));
            for (String line : concat(queueLines, sendLines)) {
                assertTrue(!line.contains("ERROR"), "nothing is wrong, and nothing says ERROR: " + line);
            }
        } finally {
            queue.destroyForcibly();
            queue.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sendingWithNoDevQueueOrNoSuchSampleSaysSoInALineAndEndsWithStatusOne() throws Exception {
        List<String> ports = List.of("-Ddev.queue.port=" + freePort());
        List<String> noQueue = new CopyOnWriteArrayList<>();
        Process send = start(ports, List.of("send", "samples/standard-many-users.json"), noQueue);
        assertTrue(send.waitFor(60, TimeUnit.SECONDS), "./dev send ended");
        assertEquals(1, send.exitValue());
        awaitLine(noQueue, "nothing was sent: no dev queue answers on http://127.0.0.1:", Duration.ofSeconds(5));
        awaitLine(noQueue, "; start ./mvnw quarkus:dev first", Duration.ofSeconds(5));

        List<String> noSample = new CopyOnWriteArrayList<>();
        Process missing = start(ports, List.of("send", "samples/no-such-sample.json"), noSample);
        assertTrue(missing.waitFor(60, TimeUnit.SECONDS), "./dev send ended");
        assertEquals(1, missing.exitValue());
        awaitLine(noSample, "no sample samples/no-such-sample.json: samples/ holds some", Duration.ofSeconds(5));

        for (String line : concat(noQueue, noSample)) {
            assertTrue(!line.startsWith("\tat ") && !line.contains("Exception"), "a reason, not a stack trace: " + line);
        }
    }

    @Test
    void theQueueStartsUnderQuarkusDevAndUnderNoOtherGoal() {
        // What pom.xml's dev-queue execution passes: Maven's goals, written inside text.
        assertTrue(DevQueue.underDevMode("goals=[quarkus:dev]"));
        assertTrue(DevQueue.underDevMode("goals=[clean, quarkus:dev]"));
        assertTrue(DevQueue.underDevMode("goals=[io.quarkus.platform:quarkus-maven-plugin:3.32.4:dev]"));
        assertTrue(!DevQueue.underDevMode("goals=[verify]"));
        assertTrue(!DevQueue.underDevMode("goals=[package, quarkus:test]"));
        assertTrue(!DevQueue.underDevMode("goals=[]"));
        assertTrue(!DevQueue.underDevMode("goals=[dev]"));
    }

    /** As the ./dev script runs it: its own JVM, logging through java.util.logging with dev-logging.properties. */
    private static Process start(List<String> properties, List<String> args, List<String> lines) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.jboss.logging.provider=jdk", "-Djava.util.logging.config.file=src/test/resources/dev-logging.properties"));
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DevQueue.class.getName()));
        command.addAll(args);
        return ConsoleLines.start(new ProcessBuilder(command), lines);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
