package io.syncfanout.pubnub;

import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.mutiny.Uni;
import io.syncfanout.config.PubNubConfig;
import io.syncfanout.config.SyncConfig;

/**
 * The one bean that talks to PubNub. Resilience is declared here and tuned from
 * application.properties ({@code quarkus.fault-tolerance."io.syncfanout.pubnub.PubNubGateway/publish".*}):
 * every attempt gets a timeout, failures the contract calls retryable are retried with backoff, and
 * an outage opens the circuit so the rest of the batch fails fast instead of waiting out timeouts.
 */
@ApplicationScoped
public class PubNubGateway {

    /** The circuit breaker's name, for {@code CircuitBreakerMaintenance}. */
    public static final String CIRCUIT = "pubnub-publish";
    private static final Logger LOG = Logger.getLogger(PubNubGateway.class);

    private final PubNubPublishApi api;
    private final PubNubConfig pubnub;
    private final Optional<RequestSigner> signer;
    private final Duration attemptNeeds;
    private final Redaction redaction;

    public PubNubGateway(@RestClient PubNubPublishApi api, PubNubConfig pubnub, SyncConfig sync) {
        this.api = api;
        this.pubnub = pubnub;
        this.signer = pubnub.secretKey().filter(s -> !s.isBlank())
                .map(secret -> new RequestSigner(subscribeKey(pubnub), publishKey(pubnub), secret));
        this.attemptNeeds = sync.publish().attemptNeeds();
        this.redaction = Redaction.of(pubnub);
    }

    /** An on-call engineer sees the circuit open and close in the log, not only its effects. */
    void watchCircuit(@Observes StartupEvent event, CircuitBreakerMaintenance circuits) {
        circuits.onStateChange(CIRCUIT, state -> LOG.warnf("PubNub circuit breaker '%s' is now %s", CIRCUIT, state));
    }

    /**
     * Publishes one body to one channel. Called once per attempt by the retry interceptor, so each
     * attempt checks the deadline and is signed with its own timestamp.
     *
     * @param attempts counts this publish's attempts, for the log and the retry figures
     */
    @AsynchronousNonBlocking
    @Retry(maxRetries = 3, delay = 100, jitter = 0,
            retryOn = { PublishFailure.Retryable.class, TimeoutException.class },
            abortOn = { PublishFailure.Rejected.class, PublishFailure.OutOfTime.class, CircuitBreakerOpenException.class })
    @CustomBackoff(PublishBackoff.class)
    @CircuitBreakerName(CIRCUIT)
    // Opens on an outage (three in four of the last 40 attempts failing), not on the scattered
    // failures a busy network produces: those are what retries are for.
    @CircuitBreaker(requestVolumeThreshold = 40, failureRatio = 0.75, delay = 5_000, successThreshold = 3,
            skipOn = { PublishFailure.Rejected.class, PublishFailure.OutOfTime.class })
    @Timeout(2000)
    public Uni<PublishAck> publish(String channel, byte[] body, Deadline deadline, AtomicInteger attempts) {
        if (!deadline.allows(attemptNeeds)) {
            return Uni.createFrom().failure(new PublishFailure.OutOfTime(
                    Math.max(0, deadline.remaining().toMillis()) + " ms left of the time budget (sync.time-budget), an attempt may take up to "
                    + attemptNeeds.toMillis() + " ms"));
        }
        attempts.incrementAndGet();
        String publishKey = publishKey(pubnub);
        String subscribeKey = subscribeKey(pubnub);
        String encodedChannel = PercentEncoding.encode(channel);
        SortedMap<String, String> params = new TreeMap<>();
        params.put("uuid", pubnub.uuid());
        params.put("store", "1");
        pubnub.authKey().filter(a -> !a.isBlank()).ifPresent(auth -> params.put("auth", auth));
        String signature = null;
        if (signer.isPresent()) {
            params.put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
            String path = "/publish/" + PercentEncoding.encode(publishKey) + "/" + PercentEncoding.encode(subscribeKey)
                    + "/0/" + encodedChannel + "/0";
            signature = signer.get().sign(path, params);
        }
        return api.publish(PercentEncoding.encode(publishKey), PercentEncoding.encode(subscribeKey), encodedChannel,
                encode(params.get("uuid")), "1", encode(params.get("auth")), encode(params.get("timestamp")),
                encode(signature), body)
                .onFailure(failure -> !(failure instanceof PublishFailure))
                .transform(failure -> new PublishFailure.Retryable(redaction.apply(describe(failure))))
                .map(response -> read(response, deadline));
    }

    private PublishAck read(Response response, Deadline deadline) {
        try (response) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            try {
                return PublishResponses.read(response.getStatus(), body, response.getHeaderString(HttpHeaders.RETRY_AFTER));
            } catch (PublishFailure.Retryable failure) {
                long wait = failure.retryAfterMillis();
                if (wait > 0 && !deadline.allows(attemptNeeds.plusMillis(wait))) {
                    throw new PublishFailure.OutOfTime(redaction.apply(failure.getMessage())
                            + "; waiting that long would run past the deadline");
                }
                throw failure;
            }
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause.getMessage() == null || cause instanceof jakarta.ws.rs.ProcessingException)) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return "connection error: " + cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String encode(String value) {
        return value == null ? null : PercentEncoding.encode(value);
    }

    // Present outside dev and test: StartupChecks refuses to start otherwise.
    private static String publishKey(PubNubConfig pubnub) {
        return pubnub.publishKey().orElse("");
    }

    private static String subscribeKey(PubNubConfig pubnub) {
        return pubnub.subscribeKey().orElse("");
    }
}
