package io.syncfanout.record;

/** A record that breaks a rule of the contract, section 1; it is reported failed and never published. */
public record InvalidRecord(SqsRecord source, String reason) implements ReadResult {
}
