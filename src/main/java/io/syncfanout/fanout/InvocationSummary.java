package io.syncfanout.fanout;

import java.util.List;

/**
 * The one line per invocation an on-call engineer reads first: what came in, what went out, what
 * SQS will deliver again.
 *
 * @param publishLatenciesMs each acknowledged publish's time from first attempt to acknowledgement
 */
record InvocationSummary(int records, int invalid, int superseded, int duplicates, int publishes, int retries,
        int failed, int notAttempted, long bytes, long millis, List<Long> publishLatenciesMs) {

    InvocationSummary {
        publishLatenciesMs = List.copyOf(publishLatenciesMs);
    }

    String text() {
        return "sync-fanout invocation: records=" + records + " invalid=" + invalid + " superseded=" + superseded
                + " duplicates=" + duplicates + " publishes=" + publishes + " retries=" + retries + " failed=" + failed
                + " not_attempted=" + notAttempted + " bytes=" + bytes + " ms=" + millis;
    }
}
