package io.syncfanout.local;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * What a local run came to, for people and for tests.
 *
 * @param answer the function's answer to Lambda, as JSON
 * @param failedIds the SQS messageIds in {@code batchItemFailures}
 * @param channels per channel, what reached it (stand-in) or what the function published (real PubNub)
 * @param refused publishes PubNub answered with an error, by status
 * @param reasons each failed record's reason, from the function's log
 * @param summary the function's invocation summary line
 * @param messages what the stand-in acknowledged, per channel in arrival order (empty with real PubNub)
 */
public record RunReport(String answer, List<String> failedIds, Map<String, ChannelAccount> channels,
        List<String> refused, Map<String, String> reasons, String summary, long millis,
        Map<String, List<com.fasterxml.jackson.databind.JsonNode>> messages) {

    /** @param publishes acknowledged publishes; items and bytes they carried */
    public record ChannelAccount(int publishes, int items, long bytes) {
    }

    public int publishes() {
        return channels.values().stream().mapToInt(ChannelAccount::publishes).sum();
    }

    public int items() {
        return channels.values().stream().mapToInt(ChannelAccount::items).sum();
    }

    void print(PrintStream out, int records) {
        out.println();
        out.println("Answer to Lambda (" + failedIds.size() + " of " + records + " records to deliver again):");
        out.println("  " + (answer.length() > 2_000 ? answer.substring(0, 2_000) + " …" : answer));
        out.println();
        out.printf("What reached each channel (%d channels, %d publishes, %d items):%n", channels.size(), publishes(), items());
        out.printf("  %-40s %9s %6s %8s%n", "channel", "publishes", "items", "bytes");
        channels.entrySet().stream().limit(60).forEach(e -> out.printf("  %-40s %9d %6d %8d%n",
                e.getKey(), e.getValue().publishes(), e.getValue().items(), e.getValue().bytes()));
        if (channels.size() > 60) {
            out.println("  … and " + (channels.size() - 60) + " more channels");
        }
        if (!refused.isEmpty()) {
            out.println();
            out.println("Publishes PubNub refused (" + refused.size() + "):");
            refused.stream().limit(20).forEach(r -> out.println("  " + r));
        }
        out.println();
        out.println("Failed records (" + failedIds.size() + "):");
        failedIds.stream().limit(100).forEach(id -> out.println("  " + id + "  " + reasons.getOrDefault(id, "(no reason logged)")));
        if (failedIds.size() > 100) {
            out.println("  … and " + (failedIds.size() - 100) + " more");
        }
        out.println();
        out.println(summary == null ? "(no summary line in the function's log)" : summary);
        out.printf("Answered in %.2f s%n", millis / 1000.0);
    }
}
