package io.syncfanout.pubnub;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One publish's attempts, as its retries leave them: how many went out, and the first that went out and got
 * no answer (a dropped connection, a timeout). Such an attempt may have reached PubNub all the same, so a
 * publish that then fails for another reason is reported with it: on-call reads that the record may be
 * delivered already, and subscribers drop the redelivery by {@code message_id} (contract, section 4).
 */
public final class PublishAttempts {

    private final AtomicInteger count = new AtomicInteger();
    private volatile String unanswered;

    public int incrementAndGet() {
        return count.incrementAndGet();
    }

    public int get() {
        return count.get();
    }

    /** An attempt went out and got no answer, for {@code why}; the first one is kept. */
    public void unanswered(String why) {
        if (unanswered == null) {
            unanswered = why;
        }
    }

    /** Why an attempt of this publish went unanswered, if one did. */
    public Optional<String> unanswered() {
        return Optional.ofNullable(unanswered);
    }
}
