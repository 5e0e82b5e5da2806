package io.syncfanout.fanout;

import java.util.List;

/** What publishing a plan came to: the ledger of every record and the figures for the summary. */
public record DispatchResult(RecordLedger ledger, int publishes, int retries, long bytes, List<Long> publishLatenciesMs) {
}
