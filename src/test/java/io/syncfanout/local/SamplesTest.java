package io.syncfanout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.syncfanout.testing.ConsoleLines;

/** samples/Generate.java as a person runs it: the committed samples are its output, and a wrong command line gets a reason, not a trace. */
class SamplesTest {

    @Test
    void everyCommittedSampleIsWhatTheGeneratorWrites() throws Exception {
        for (String[] sample : List.of(new String[] { "standard", "standard-many-users.json" }, new String[] { "fifo", "fifo-households.json" },
                new String[] { "invalid", "invalid-among-valid.json" }, new String[] { "burst", "burst-5000.json" })) {
            ConsoleLines.Ended ended = generate(sample[0]);
            assertEquals(0, ended.exit());
            assertEquals(Files.readString(Path.of("samples", sample[1])).stripTrailing(), String.join("\n", ended.lines()),
                    "samples/" + sample[1] + " is not what java samples/Generate.java " + sample[0] + " writes");
        }
    }

    @Test
    void aWrongKindOrCountGetsItsReasonAndTheUsageAndStatusTwo() throws Exception {
        String usage = "usage: java samples/Generate.java standard|fifo|invalid|burst [records] [users or groups]";
        assertEquals(new ConsoleLines.Ended(2, List.of("Generate: no kind 'bursts': standard, fifo, invalid or burst", usage)), generate("bursts"));
        assertEquals(new ConsoleLines.Ended(2, List.of("Generate: records, users and groups are whole numbers", usage)),
                generate("burst", "5k"));
    }

    private static ConsoleLines.Ended generate(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "samples/Generate.java"));
        command.addAll(List.of(args));
        return ConsoleLines.run(new ProcessBuilder(command), Duration.ofMinutes(1));
    }
}
