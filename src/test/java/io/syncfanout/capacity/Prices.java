package io.syncfanout.capacity;

/** List prices the model's costs use (US East, first tiers); each names its source. */
final class Prices {

    /** https://aws.amazon.com/lambda/pricing/: per GB-second, x86_64 and arm64, and per request. */
    static final double LAMBDA_GB_SECOND_X86 = 0.0000166667;
    static final double LAMBDA_GB_SECOND_ARM = 0.0000133334;
    static final double LAMBDA_REQUEST = 0.20 / 1_000_000;
    /** https://aws.amazon.com/sqs/pricing/: per request (each 64 KiB of payload a request), standard and FIFO. */
    static final double SQS_REQUEST_STANDARD = 0.40 / 1_000_000;
    static final double SQS_REQUEST_FIFO = 0.50 / 1_000_000;
    /** https://www.pubnub.com/pricing/transaction-classification/: a publish is a transaction per started 2,048 bytes. */
    static final int PUBNUB_TRANSACTION_BYTES = 2_048;
    /** The seconds in a month of 30 days. */
    static final double MONTH_SECONDS = 30 * 24 * 3600;

    private Prices() {
    }
}
