package io.syncfanout.pubnub;

import java.util.concurrent.ThreadLocalRandom;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * The seed's backoff (100, 200, 400 ms from {@code @Retry(delay)}), each delay jittered by ±25% so
 * that many channels failing together do not retry in lockstep. No retry starts while a 429 holds
 * the whole function ({@link PublishPacing}), and a 429's own {@code Retry-After} is honoured when it
 * asks for longer. A stale pooled connection is tried again at once. SmallRye creates one instance per guarded call, by reflection.
 */
@RegisterForReflection
public class PublishBackoff implements CustomBackoffStrategy {

    private final PublishPacing pacing;
    private long nextBase;

    public PublishBackoff() {
        this(Arc.container().instance(PublishPacing.class).get());
    }

    PublishBackoff(PublishPacing pacing) {
        this.pacing = pacing;
    }

    @Override
    public void init(long initialDelayInMillis) {
        nextBase = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable failure) {
        if (failure instanceof PublishFailure.StaleConnection) {
            // Nothing to wait for: the next attempt takes a new connection.
            return pacing.pause().toMillis();
        }
        long base = nextBase;
        nextBase = Math.min(base * 2, 60_000);
        long delay = base + ThreadLocalRandom.current().nextLong(-base / 4, base / 4 + 1);
        if (failure instanceof PublishFailure.RateLimited limited) {
            delay = Math.max(delay, pacing.pauseNanos(limited.retryAfterMillis()) / 1_000_000);
        }
        return Math.max(delay, pacing.pause().toMillis());
    }
}
