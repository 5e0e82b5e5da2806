package io.syncfanout.fanout;

import java.util.List;

import io.syncfanout.pubnub.PubNubBehaviour;

/**
 * What publishing a plan came to: the ledger of every record and the figures for the summary, all of
 * them this invocation's own.
 *
 * @param pubnub what PubNub did to this invocation's attempts (429s, pauses, circuit openings, protocols)
 */
public record DispatchResult(RecordLedger ledger, int publishes, int retries, long bytes, List<Long> publishLatenciesMs,
        PubNubBehaviour pubnub) {
}
