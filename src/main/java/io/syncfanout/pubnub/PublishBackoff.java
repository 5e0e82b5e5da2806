package io.syncfanout.pubnub;

import java.util.concurrent.ThreadLocalRandom;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * The seed's backoff (100, 200, 400 ms from {@code @Retry(delay)}), each delay jittered by ±25% so
 * that many channels failing together do not retry in lockstep; a 429's {@code Retry-After} is
 * honoured when it asks for longer. SmallRye creates one instance per guarded call.
 */
@RegisterForReflection
public class PublishBackoff implements CustomBackoffStrategy {

    private long nextBase;

    @Override
    public void init(long initialDelayInMillis) {
        nextBase = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable failure) {
        long base = nextBase;
        nextBase = Math.min(base * 2, 60_000);
        long jittered = base + ThreadLocalRandom.current().nextLong(-base / 4, base / 4 + 1);
        if (failure instanceof PublishFailure.Retryable retryable && retryable.retryAfterMillis() > jittered) {
            return retryable.retryAfterMillis();
        }
        return jittered;
    }
}
