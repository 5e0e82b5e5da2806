package io.syncfanout.record;

/** What reading one record yields: an update to publish, or the reason it cannot be. */
public sealed interface ReadResult permits SyncItem, InvalidRecord {

    SqsRecord source();
}
