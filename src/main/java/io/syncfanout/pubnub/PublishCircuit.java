package io.syncfanout.pubnub;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * The publish circuit breaker ({@link PubNubGateway#publish}) as the on-call engineer sees it, and
 * the one rule its annotation cannot say: an open circuit is never carried into a new invocation.
 * <p>
 * Within an invocation, an outage fails the rest of the batch fast. The next invocation, whenever it
 * starts, gives PubNub a fresh try (contract, amendment 2: an invocation that starts after PubNub
 * has recovered publishes normally), and a still-running outage opens the circuit again within a
 * round of publishes. Records are never reported failed on an earlier invocation's word; an
 * invocation still running may share its evidence ({@link #beginInvocation()}).
 */
@Singleton
public class PublishCircuit {

    /** The circuit breaker's name, for {@code CircuitBreakerMaintenance} and the log. */
    public static final String NAME = "pubnub-publish";
    private static final Logger LOG = Logger.getLogger(PublishCircuit.class);

    /**
     * The publish whose attempt failed last on this thread with a failure the circuit counts. The
     * circuit breaker records a failure, and says it opened, on the thread that completed the attempt,
     * right after the gateway classified it: that publish opened the circuit, and its invocation says so.
     */
    private static final ThreadLocal<PublishAttempts> FAILING = new ThreadLocal<>();

    private final CircuitBreakerMaintenance circuits;
    /** Invocations running in this process now. */
    private final AtomicInteger inFlight = new AtomicInteger();

    public PublishCircuit(CircuitBreakerMaintenance circuits) {
        this.circuits = circuits;
    }

    /** The log says when the circuit opens and closes, not only what that did to records. */
    void watch(@Observes StartupEvent event) {
        circuits.onStateChange(NAME, state -> {
            if (state == CircuitBreakerState.OPEN) {
                PublishAttempts opener = FAILING.get();
                if (opener != null) {
                    opener.openedCircuit();
                }
                LOG.warnf("PubNub circuit breaker '%s' is now OPEN: PubNub is failing (5xx answers or refused/reset "
                        + "connections); the rest of this invocation's publishes fail fast", NAME);
            } else {
                LOG.infof("PubNub circuit breaker '%s' is now %s", NAME, state);
            }
        });
    }

    /**
     * As an invocation starts on an instance where none is running: whatever an earlier invocation
     * saw, PubNub gets a fresh try. A closed circuit is reset too, so that failures counted by an
     * earlier invocation never leave this one a failure away from opening.
     * <p>
     * Where invocations overlap (Lambda Managed Instances run many in one process), the circuit is
     * shared on purpose and left as it is: its window is live evidence of PubNub's health, and
     * emptying it would let one invocation's start hide another's outage. It still never outlives
     * an outage by more than its 5 s delay (amendment 2). Every call is paired with {@link #endInvocation()}.
     */
    public void beginInvocation() {
        if (inFlight.getAndIncrement() > 0) {
            return;
        }
        CircuitBreakerState state = circuits.currentState(NAME);
        circuits.reset(NAME);
        if (state != CircuitBreakerState.CLOSED) {
            LOG.infof("PubNub circuit breaker '%s' is now CLOSED for a new invocation (it was %s): publishing normally "
                    + "until PubNub fails again", NAME, state);
        }
    }

    /** After a SnapStart restore: what the circuit saw before the snapshot says nothing of PubNub now. */
    public void restart() {
        circuits.reset(NAME);
    }

    /** As an invocation answers, however it ends. */
    public void endInvocation() {
        inFlight.decrementAndGet();
    }

    public boolean isOpen() {
        return circuits.currentState(NAME) == CircuitBreakerState.OPEN;
    }

    /** A failure the circuit counts, as the gateway hands it on: see {@link #FAILING}. */
    static <F extends Throwable> F failing(F failure, PublishAttempts attempts) {
        FAILING.set(failure instanceof PublishFailure.Outage ? attempts : null);
        return failure;
    }
}
