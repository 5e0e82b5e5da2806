package io.syncfanout.pubnub;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One publish's attempts, as its retries leave them: how many went out, the first that went out and got
 * no answer (a dropped connection, a timeout), and what PubNub did to them. An unanswered attempt may
 * have reached PubNub all the same, so a publish that then fails for another reason is reported with it:
 * on-call reads that the record may be delivered already, and subscribers drop the redelivery by
 * {@code message_id} (contract, section 4).
 * <p>
 * Each invocation sums its own publishes' attempts for its summary, so overlapping invocations never
 * report each other's 429s, pauses, circuit openings or protocols ({@link PubNubBehaviour}).
 */
public final class PublishAttempts {

    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicLong pausedNanos = new AtomicLong();
    private final AtomicInteger http2Answers = new AtomicInteger();
    private final AtomicInteger http1Answers = new AtomicInteger();
    private final AtomicInteger circuitOpened = new AtomicInteger();
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

    /** A 429, and how much longer it held every publish of the instance ({@link PublishPacing#rateLimited}). */
    void rateLimited(long addedPauseNanos) {
        rateLimited.incrementAndGet();
        pausedNanos.addAndGet(addedPauseNanos);
    }

    /** PubNub answered an attempt, over HTTP/2 or HTTP/1.x ({@link NegotiatedProtocol}). */
    void answered(boolean http2) {
        (http2 ? http2Answers : http1Answers).incrementAndGet();
    }

    /** An attempt's failure was the one that opened the circuit ({@link PublishCircuit}). */
    void openedCircuit() {
        circuitOpened.incrementAndGet();
    }

    /** What PubNub did to these attempts, for the invocation's summary. */
    public PubNubBehaviour behaviour() {
        return new PubNubBehaviour(rateLimited.get(), pausedNanos.get() / 1_000_000, circuitOpened.get(), http2Answers.get(),
                http1Answers.get());
    }
}
