package io.syncfanout.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start on configuration that would fail every publish or leak keys in clear text, so a
 * bad deploy shows up as one init error instead of a queue full of retried records; and says, once,
 * how it will publish.
 */
@Singleton
public class StartupChecks {

    private static final Logger LOG = Logger.getLogger(StartupChecks.class);

    void onStart(@Observes StartupEvent event, PubNubConfig pubnub, SyncConfig sync) {
        List<String> problems = problems(pubnub, sync, LaunchMode.current());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("sync-fanout cannot start: " + String.join("; ", problems));
        }
        SyncConfig.Publish publish = sync.publish();
        LOG.infof("sync-fanout publishing with concurrency=%d, attempt timeout %d ms, %d retries, up to %d items and %d bytes "
                + "per publish, to %s%s", publish.concurrency(), publish.attemptTimeoutMs(), publish.maxRetries(),
                sync.batch().maxMessages(), sync.batch().maxBytes(), pubnub.origin(),
                Optional.ofNullable(System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")).map(mb -> " (memory size " + mb + " MB)").orElse(""));
    }

    static List<String> problems(PubNubConfig pubnub, SyncConfig sync, LaunchMode mode) {
        List<String> problems = new ArrayList<>();
        originProblem(pubnub.origin()).ifPresent(problems::add);
        if (mode == LaunchMode.NORMAL) {
            if (isBlank(pubnub.publishKey())) {
                problems.add("PUBNUB_PUBLISH_KEY (pubnub.publish-key) is required");
            }
            if (isBlank(pubnub.subscribeKey())) {
                problems.add("PUBNUB_SUBSCRIBE_KEY (pubnub.subscribe-key) is required");
            }
        }
        if (sync.batch().maxMessages() < 1) {
            problems.add("sync.batch.max-messages must be at least 1");
        }
        if (sync.batch().maxBytes() < 1024) {
            problems.add("sync.batch.max-bytes must be at least 1024");
        }
        if (sync.publish().concurrency() < 1) {
            problems.add("sync.publish.concurrency must be at least 1");
        }
        if (sync.timeBudget().isNegative() || sync.timeBudget().isZero()) {
            problems.add("sync.time-budget must be positive");
        }
        redeliveryProblems(sync.redelivery(), problems);
        return problems;
    }

    /**
     * Settings that would quietly undo the outage delays: a base under a second truncates to no delay
     * at all (SQS takes whole seconds), a multiplier under 1 shrinks them, and SQS refuses a visibility
     * timeout past 12 hours from a receive.
     */
    static void redeliveryProblems(SyncConfig.Redelivery redelivery, List<String> problems) {
        if (!redelivery.backoffEnabled()) {
            return;
        }
        if (redelivery.backoffBase().compareTo(java.time.Duration.ofSeconds(1)) < 0) {
            problems.add("sync.redelivery.backoff-base must be at least 1s (SQS delays by whole seconds), got " + redelivery.backoffBase());
        }
        if (redelivery.backoffMultiplier() < 1) {
            problems.add("sync.redelivery.backoff-multiplier must be at least 1, got " + redelivery.backoffMultiplier());
        }
        if (redelivery.backoffMax().compareTo(redelivery.backoffBase()) < 0
                || redelivery.backoffMax().compareTo(java.time.Duration.ofHours(12).minusMinutes(5)) > 0) {
            problems.add("sync.redelivery.backoff-max must be from sync.redelivery.backoff-base to 11h55m (SQS allows 12 hours "
                    + "from a receive, less the invocation's time), got " + redelivery.backoffMax());
        }
        if (redelivery.parkLimit().isNegative() || redelivery.parkLimit().compareTo(java.time.Duration.ofDays(14)) > 0) {
            problems.add("sync.redelivery.park-limit must be from 0 to 14 days (SQS keeps a message 14 days at most), got "
                    + redelivery.parkLimit());
        }
        if (redelivery.maxReceiveCount().isPresent() && redelivery.maxReceiveCount().getAsInt() < 1) {
            problems.add("sync.redelivery.max-receive-count must be at least 1 (the source queue's maxReceiveCount)");
        }
        if (redelivery.concurrency() < 1) {
            problems.add("sync.redelivery.concurrency must be at least 1");
        }
        if (redelivery.callTimeout().compareTo(java.time.Duration.ofMillis(10)) < 0) {
            problems.add("sync.redelivery.call-timeout must be at least 10ms, got " + redelivery.callTimeout());
        }
    }

    /** Keys travel in the URL: plain HTTP is only acceptable when the traffic never leaves the host. */
    static Optional<String> originProblem(URI origin) {
        String scheme = origin.getScheme();
        String host = origin.getHost();
        if (host == null || scheme == null) {
            return Optional.of("pubnub.origin must be an absolute URL such as https://ps.pndsn.com, got '" + origin + "'");
        }
        if ("https".equalsIgnoreCase(scheme)) {
            return Optional.empty();
        }
        if ("http".equalsIgnoreCase(scheme)) {
            return isLoopback(host) ? Optional.empty()
                    : Optional.of("pubnub.origin '" + origin + "' uses http:// on a non-loopback host; use https://");
        }
        return Optional.of("pubnub.origin must use https:// (or http:// on loopback), got '" + scheme + "://'");
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name other than localhost is never resolved here: DNS could point anywhere
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean isBlank(Optional<String> value) {
        return value.map(String::isBlank).orElse(true);
    }
}
