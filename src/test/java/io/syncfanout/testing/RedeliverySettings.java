package io.syncfanout.testing;

import java.time.Duration;
import java.util.OptionalInt;

import io.syncfanout.config.SyncConfig;

/** The redelivery settings as SyncConfig gives them, for tests that make their own: its defaults, one change at a time. */
public record RedeliverySettings(boolean backoffEnabled, Duration backoffBase, int backoffMultiplier, Duration backoffMax,
        Duration parkLimit, OptionalInt maxReceiveCount, int concurrency, Duration callTimeout, Duration reserve,
        long reserveMicrosPerRecord) implements SyncConfig.Redelivery {

    /** SyncConfig.Redelivery's defaults. */
    public static RedeliverySettings defaults() {
        return new RedeliverySettings(true, Duration.ofSeconds(60), 6, Duration.ofMinutes(15), Duration.ofHours(6), OptionalInt.empty(), 16,
                Duration.ofSeconds(1), Duration.ofMillis(300), 250);
    }

    public RedeliverySettings enabled(boolean on) {
        return new RedeliverySettings(on, backoffBase, backoffMultiplier, backoffMax, parkLimit, maxReceiveCount, concurrency, callTimeout,
                reserve, reserveMicrosPerRecord);
    }

    public RedeliverySettings base(Duration base) {
        return new RedeliverySettings(backoffEnabled, base, backoffMultiplier, backoffMax, parkLimit, maxReceiveCount, concurrency, callTimeout,
                reserve, reserveMicrosPerRecord);
    }

    public RedeliverySettings multiplier(int times) {
        return new RedeliverySettings(backoffEnabled, backoffBase, times, backoffMax, parkLimit, maxReceiveCount, concurrency, callTimeout,
                reserve, reserveMicrosPerRecord);
    }

    public RedeliverySettings max(Duration max) {
        return new RedeliverySettings(backoffEnabled, backoffBase, backoffMultiplier, max, parkLimit, maxReceiveCount, concurrency, callTimeout,
                reserve, reserveMicrosPerRecord);
    }

    public RedeliverySettings parkLimit(Duration limit) {
        return new RedeliverySettings(backoffEnabled, backoffBase, backoffMultiplier, backoffMax, limit, maxReceiveCount, concurrency, callTimeout,
                reserve, reserveMicrosPerRecord);
    }

    public RedeliverySettings maxReceiveCount(int count) {
        return new RedeliverySettings(backoffEnabled, backoffBase, backoffMultiplier, backoffMax, parkLimit, OptionalInt.of(count), concurrency,
                callTimeout, reserve, reserveMicrosPerRecord);
    }

    public RedeliverySettings concurrency(int calls) {
        return new RedeliverySettings(backoffEnabled, backoffBase, backoffMultiplier, backoffMax, parkLimit, maxReceiveCount, calls, callTimeout,
                reserve, reserveMicrosPerRecord);
    }

    public RedeliverySettings reserveMicrosPerRecord(long micros) {
        return new RedeliverySettings(backoffEnabled, backoffBase, backoffMultiplier, backoffMax, parkLimit, maxReceiveCount, concurrency,
                callTimeout, reserve, micros);
    }
}
