package io.syncfanout.pubnub;

import java.time.Duration;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.mutiny.Uni;
import io.syncfanout.config.PubNubConfig;
import io.syncfanout.config.SyncConfig;

/**
 * The one bean that talks to PubNub. Resilience is declared here and tuned from
 * application.properties ({@code quarkus.fault-tolerance."io.syncfanout.pubnub.PubNubGateway/publish".*}):
 * every attempt gets a timeout, failures the contract calls retryable are retried with backoff, a
 * 429 slows the whole function down ({@link PublishPacing}), and an outage of PubNub's (5xx, refused
 * or reset connections, and nothing else: amendment 2) opens the circuit so the rest of the batch
 * fails fast instead of waiting out retries.
 */
@ApplicationScoped
public class PubNubGateway implements Publisher {

    private final PubNubPublishApi api;
    private final PubNubConfig pubnub;
    private final String encodedUuid;
    private final Duration attemptTimeout;
    private final Duration minAttempt;
    private final PublishPacing pacing;
    /** Everything made of the keys, replaced whole when they are read again ({@link #useKeys}). */
    private volatile Keyed keyed;

    /**
     * @param keysPath {@code {publish_key}/{subscribe_key}/0/}, encoded once: every publish path starts with it
     */
    private record Keyed(String keysPath, Optional<RequestSigner> signer, Optional<String> auth, String encodedAuth,
            Redaction redaction, PublishResponses responses) {

        static Keyed of(PubNubKeys keys) {
            Redaction redaction = Redaction.of(keys);
            return new Keyed(PercentEncoding.encode(keys.publishKey()) + "/" + PercentEncoding.encode(keys.subscribeKey()) + "/0/",
                    keys.secretKey().map(secret -> new RequestSigner(keys.subscribeKey(), keys.publishKey(), secret)), keys.authKey(),
                    keys.authKey().map(PercentEncoding::encode).orElse(null), redaction, new PublishResponses(redaction));
        }
    }

    public PubNubGateway(@RestClient PubNubPublishApi api, PubNubConfig pubnub, SyncConfig sync, PublishPacing pacing) {
        this.api = api;
        this.pubnub = pubnub;
        this.encodedUuid = PercentEncoding.encode(pubnub.uuid());
        this.attemptTimeout = Duration.ofMillis(sync.publish().attemptTimeoutMs());
        this.minAttempt = sync.publish().minAttempt();
        this.pacing = pacing;
        this.keyed = Keyed.of(PubNubKeys.of(pubnub));
    }

    /**
     * Before a SnapStart snapshot: what every publish runs but the call itself, on synthetic values, so
     * the snapshot holds it loaded and compiled. Nothing is sent.
     */
    public void prime() {
        String path = "/publish/" + keyed.keysPath() + PercentEncoding.encode("user.priming.sync") + "/0";
        new RequestSigner("sub-c-priming", "pub-c-priming", "sec-c-priming").sign(path, signedParams(keyed,
                Long.toString(System.currentTimeMillis() / 1000)));
        keyed.redaction().apply("connection error: priming " + path + "?auth=priming");
        keyed.responses().read(200, "[1,\"Sent\",\"17000000000000000\"]", null);
        try {
            keyed.responses().read(503, "{\"status\":503,\"error\":true,\"message\":\"Service Unavailable\"}", null);
        } catch (PublishFailure expected) {
            // the failure path, primed too
        }
    }

    /** Publishes from now on use these keys (read again after a SnapStart restore: a rotation). */
    public void useKeys(PubNubKeys keys) {
        this.keyed = Keyed.of(keys);
    }

    /**
     * Publishes one body to one channel. Called once per attempt by the retry interceptor, so each
     * attempt checks the deadline and is signed with its own timestamp.
     *
     * @param attempts counts this publish's attempts, for the log and the retry figures
     */
    @Override
    @AsynchronousNonBlocking
    @Retry(maxRetries = 3, delay = 100, jitter = 0,
            retryOn = { PublishFailure.Retryable.class, TimeoutException.class },
            abortOn = { PublishFailure.Rejected.class, PublishFailure.OutOfTime.class, CircuitBreakerOpenException.class })
    @CustomBackoff(PublishBackoff.class)
    @CircuitBreakerName(PublishCircuit.NAME)
    // Opens on an outage (three in four of the last 40 attempts failing), not on the scattered
    // failures a busy network produces: those are what retries are for. Only PubNub's own failures
    // count; everything else, 429s and timeouts included, is a success to the circuit (amendment 2).
    @CircuitBreaker(requestVolumeThreshold = 40, failureRatio = 0.75, delay = 5_000, successThreshold = 3,
            failOn = PublishFailure.Outage.class)
    @Timeout(2000)
    public Uni<PublishAck> publish(String channel, byte[] body, Deadline deadline, PublishAttempts attempts) {
        // Amendment 18: an attempt starts while the floor is left, with its timeout cut to what is left.
        Duration left = deadline.remaining();
        if (left.compareTo(minAttempt) < 0) {
            return Uni.createFrom().failure(new PublishFailure.OutOfTime(Math.max(0, left.toMillis())
                    + " ms left before " + deadline.description() + " runs out, less than the " + minAttempt.toMillis()
                    + " ms an attempt needs at least (sync.publish.min-attempt)"));
        }
        attempts.incrementAndGet();
        Keyed keyed = this.keyed;
        Optional<RequestSigner> signer = keyed.signer();
        Redaction redaction = keyed.redaction();
        String path = keyed.keysPath() + PercentEncoding.encode(channel) + "/0";
        String timestamp = null;
        String signature = null;
        if (signer.isPresent()) {
            timestamp = Long.toString(System.currentTimeMillis() / 1000);
            signature = PercentEncoding.encode(signer.get().sign("/publish/" + path, signedParams(keyed, timestamp)));
        }
        // The attempt's own signature and timestamp are secrets too, wherever an answer echoes them.
        Redaction attempt = signature == null ? redaction : redaction.withAttempt(signature, timestamp);
        Uni<Response> answer = api.publish(path, encodedUuid, "1", keyed.encodedAuth(), timestamp, signature, body);
        if (left.compareTo(attemptTimeout) < 0) {
            answer = answer.ifNoItem().after(left).failWith(() -> unanswered(attempts, new PublishFailure.Unanswered("no answer from PubNub "
                    + "within the " + left.toMillis() + " ms left before " + deadline.description() + " ran out")));
        }
        return answer
                .onFailure(failure -> !(failure instanceof PublishFailure))
                .transform(failure -> PublishCircuit.failing(connectionFailure(failure, attempt, attempts), attempts))
                .map(response -> read(response, deadline, attempt == redaction ? keyed.responses() : new PublishResponses(attempt),
                        attempts));
    }

    /** The query parameters a signature covers, as the publish sends them (contract, section 3). */
    private SortedMap<String, String> signedParams(Keyed keyed, String timestamp) {
        SortedMap<String, String> params = new TreeMap<>();
        params.put("uuid", pubnub.uuid());
        params.put("store", "1");
        keyed.auth().ifPresent(key -> params.put("auth", key));
        params.put("timestamp", timestamp);
        return params;
    }

    private PublishAck read(Response response, Deadline deadline, PublishResponses responses, PublishAttempts attempts) {
        String protocol = response.getHeaderString(NegotiatedProtocol.HEADER);
        if (protocol != null) {
            attempts.answered("h2".equals(protocol));
        }
        try (response) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            PublishAck ack = responses.read(response.getStatus(), body, response.getHeaderString(HttpHeaders.RETRY_AFTER));
            pacing.acknowledged();
            return ack;
        } catch (PublishFailure.Outage outage) {
            throw PublishCircuit.failing(outage, attempts);
        } catch (PublishFailure.RateLimited limited) {
            attempts.rateLimited(pacing.rateLimited(limited.retryAfterMillis()));
            long waitNanos = pacing.pauseNanos(limited.retryAfterMillis());
            if (limited.retryAfterMillis() > 0 && !deadline.allows(minAttempt.plusNanos(waitNanos))) {
                throw new PublishFailure.OutOfTime(limited.getMessage() + "; waiting that long would run past the deadline");
            }
            throw limited;
        }
    }

    /**
     * A request that got no answer. A refused connection is PubNub's outage, and so is one closed or
     * reset under a retry; under a first attempt it is most likely a pooled connection that went stale
     * while idle, tried again at once. Anything else (a connect timeout on a starved CPU, a TLS or
     * name lookup failure) is retried without counting. A timeout and a dropped connection may have
     * lost an answer: the attempt is noted as unanswered.
     */
    private PublishFailure connectionFailure(Throwable failure, Redaction redaction, PublishAttempts attempts) {
        if (isReadTimeout(failure)) {
            // The REST client's read timeout (the attempt timeout too): the same failure as @Timeout's.
            return unanswered(attempts, new PublishFailure.Unanswered("no answer from PubNub within the " + attemptTimeout.toMillis()
                    + " ms attempt timeout (sync.publish.attempt-timeout-ms)"));
        }
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause.getMessage() == null || cause instanceof jakarta.ws.rs.ProcessingException)) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        String reason = redaction.apply("connection error: " + cause.getClass().getSimpleName() + (message == null ? "" : ": " + message));
        if (isRefused(failure)) {
            return new PublishFailure.Outage(reason);
        }
        if (isClosedOrReset(failure)) {
            return unanswered(attempts, attempts.get() == 1 ? new PublishFailure.StaleConnection(reason) : new PublishFailure.Outage(reason));
        }
        return new PublishFailure.Retryable(reason);
    }

    /** The request went out and its answer, if any, was lost: PubNub may have the message. */
    private static PublishFailure unanswered(PublishAttempts attempts, PublishFailure failure) {
        attempts.unanswered(failure.getMessage());
        return failure;
    }

    private static boolean isReadTimeout(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getClass().getSimpleName().equals("NoStackTraceTimeoutException")
                    || cause.getMessage() != null && cause.getMessage().startsWith("The timeout period of")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRefused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            if (cause instanceof java.net.ConnectException && !cause.getClass().getSimpleName().contains("Timeout")
                    || message.contains("refused")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isClosedOrReset(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            if (cause instanceof io.vertx.core.http.HttpClosedException
                    || message.contains("Connection reset") || message.contains("reset by peer")
                    // TLS over a connection reset under the request (Netty 4.1.138: "SSLEngine closed already")
                    || message.contains("SSLEngine closed")
                    // HTTP/2: streams of a connection that was reset; never those a GOAWAY refused, which
                    // a server sends when it closes a connection in good order (they are only retried)
                    || message.contains("Stream was closed") && !message.contains("GOAWAY")) {
                return true;
            }
        }
        return false;
    }
}
