package io.syncfanout.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.syncfanout.capacity.Simulation.Result;
import io.syncfanout.testing.ConsoleLines;

/** What {@code ./capacity} prints to a person, read as a person reads it: the program in a JVM of its own, as the script runs it. */
class CapacityReportTest {

    @Test
    void aRunEndsWithPubNubsDollarsBesideLambdasAndSqss() throws Exception {
        ConsoleLines.Ended ended = run("--load", "steady:1000", "--every", "600", "--devices", "3");
        assertEquals(0, ended.exit());
        List<String> lines = ended.lines();
        Result r = new Scenarios(InstanceCapacity.read(CapacityReport.BENCH)).run(TriggerSettings.moduleDefaults(), Load.steady(1_000, 600));
        WholeBill.Run pubnub = WholeBill.Run.of(r, PubNubPrices.LIST.withDevices(3));
        String last = lines.get(lines.size() - 1);
        assertEquals(String.format(Locale.ROOT, "PubNub $%.2f: publishes $%.2f (%,.0f replicated transactions), deliveries to 3 devices $%.2f, "
                + "storage for 7 days $%.2f", pubnub.total(), pubnub.replicated(), r.cost().pubnubTransactions(), pubnub.edge(), pubnub.storage()), last);
        assertTrue(lines.get(lines.size() - 2).startsWith("Lambda $"), lines.get(lines.size() - 2));
    }

    @Test
    void theBillPrintsAMillionUpdatesLineByLineThenTheLevers() throws Exception {
        ConsoleLines.Ended ended = run("--bill");
        assertEquals(0, ended.exit());
        String printed = String.join("\n", ended.lines());
        String headline = new BillReport(new Scenarios(InstanceCapacity.read(CapacityReport.BENCH)), PubNubPrices.LIST).headline();
        assertTrue(printed.contains(headline.strip()), printed);
        for (String section : List.of("Where PubNub's transactions come from:", "Lanes by freshness, and Signals", "The producers' sends")) {
            assertTrue(printed.contains(section), section + " in:\n" + printed);
        }
    }

    @Test
    void aWrongOptionGetsItsReasonAndTheUsageAndStatusTwo() throws Exception {
        ConsoleLines.Ended notANumber = run("--bill", "--devices", "two");
        assertEquals(2, notANumber.exit());
        assertEquals("capacity: --devices takes a number, not 'two'", notANumber.lines().get(0));
        assertTrue(notANumber.lines().get(1).startsWith("usage: ./capacity"), notANumber.lines().get(1));

        ConsoleLines.Ended unknown = run("--bill", "--frobnicate", "1");
        assertEquals(2, unknown.exit());
        assertEquals("capacity: unknown option --frobnicate", unknown.lines().get(0));
    }

    private static ConsoleLines.Ended run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), CapacityReport.class.getName()));
        command.addAll(List.of(args));
        return ConsoleLines.run(new ProcessBuilder(command), Duration.ofMinutes(2));
    }
}
