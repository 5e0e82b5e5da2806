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
        return problems;
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
