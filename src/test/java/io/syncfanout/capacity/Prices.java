package io.syncfanout.capacity;

/** List prices the model's costs use (US East, first tiers); each names its source. */
final class Prices {

    /** https://aws.amazon.com/lambda/pricing/: per GB-second, x86_64 and arm64, and per request. */
    static final double LAMBDA_GB_SECOND_X86 = 0.0000166667;
    static final double LAMBDA_GB_SECOND_ARM = 0.0000133334;
    static final double LAMBDA_REQUEST = 0.20 / 1_000_000;
    /**
     * https://aws.amazon.com/sqs/pricing/: per request (each 64 KiB of payload a request), standard and FIFO, the
     * first tier. Standard requests cost less past 100 billion a month ({@link #sqsStandardMonth}).
     */
    static final double SQS_REQUEST_STANDARD = 0.40 / 1_000_000;
    static final double SQS_REQUEST_FIFO = 0.50 / 1_000_000;
    /** Standard queues' tiers, US East: $0.40 a million to 100 billion a month, $0.30 to 200 billion, $0.24 past. */
    static final double SQS_TIER_REQUESTS = 100e9;
    static final double SQS_REQUEST_STANDARD_SECOND_TIER = 0.30 / 1_000_000;
    static final double SQS_REQUEST_STANDARD_THIRD_TIER = 0.24 / 1_000_000;
    /**
     * https://aws.amazon.com/lambda/pricing/ (provisioned mode for event source mappings): an event poller unit an
     * hour, us-east-1, billed by the second with a minute's minimum; an SQS poller is one unit.
     */
    static final double EVENT_POLLER_UNIT_HOUR = 0.00925;
    /** https://www.pubnub.com/pricing/transaction-classification/: a publish is a transaction per started 2,048 bytes. */
    static final int PUBNUB_TRANSACTION_BYTES = 2_048;
    /** The seconds in a month of 30 days. */
    static final double MONTH_SECONDS = 30 * 24 * 3600;

    /** What a month of {@code requests} standard-queue requests costs, tier by tier. */
    static double sqsStandardMonth(double requests) {
        double first = Math.min(requests, SQS_TIER_REQUESTS);
        double second = Math.min(Math.max(0, requests - SQS_TIER_REQUESTS), SQS_TIER_REQUESTS);
        double third = Math.max(0, requests - 2 * SQS_TIER_REQUESTS);
        return first * SQS_REQUEST_STANDARD + second * SQS_REQUEST_STANDARD_SECOND_TIER + third * SQS_REQUEST_STANDARD_THIRD_TIER;
    }

    private Prices() {
    }
}
