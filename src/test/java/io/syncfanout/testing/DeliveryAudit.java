package io.syncfanout.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Checks the contract's promise for one invocation, both ways. Every record the function did not report
 * failed was carried by a publish PubNub acknowledged in time (itself, or the newer progress update that
 * superseded it): an acknowledgement served after the function's attempt had timed out does not count,
 * since the function never saw it. And a record PubNub acknowledged in time but the function reported
 * failed (a duplicate) is named, so the caller can check it is one section 4 allows: an answer that
 * never reached the function (a dropped connection, a timeout).
 */
public final class DeliveryAudit {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One record sent, as much as the audit needs to know of it. */
    public record Sent(String messageId, String channel, boolean progress, String content, long clock) {
    }

    /**
     * What one invocation came to.
     *
     * @param lateAnswers acknowledgements served after the attempt timeout: the function never saw them
     */
    public record Result(int records, int reported, int lost, int duplicates, int acknowledgedPublishes, int lateAnswers,
            List<String> duplicateIds) {
    }

    /** Server-side and client-side clocks differ by scheduling: within this of the timeout, an answer counts either way. */
    private static final long MARGIN_MILLIS = 250;

    private final SqsEvents event;
    private final List<Sent> sent = new ArrayList<>();

    private DeliveryAudit(SqsEvents event) {
        this.event = event;
    }

    /** A batch of {@code records} updates for {@code users} users, 4 in 10 of them progress updates. */
    public static DeliveryAudit randomBatch(Random random, int records, int users, long clockBase) {
        DeliveryAudit audit = new DeliveryAudit(SqsEvents.standard());
        for (int i = 0; i < records; i++) {
            String user = "user-" + random.nextInt(users);
            long clock = Updates.hlc(clockBase + i, random.nextInt(100));
            boolean progress = random.nextInt(10) < 4;
            String content = "c" + random.nextInt(3);
            String id = audit.event.add(progress ? Updates.progress(user, content, clock, i) : Updates.watchlist(user, content, "Add", clock));
            audit.sent.add(new Sent(id, "user." + user + ".sync", progress, content, clock));
        }
        return audit;
    }

    public SqsEvents event() {
        return event;
    }

    /**
     * Audits the answer against what the stand-in acknowledged since its journal was last reset.
     *
     * @param attemptTimeout the function's attempt timeout: an answer served later was not seen
     */
    public Result audit(Collection<String> failedIds, WireMockServer standIn, java.time.Duration attemptTimeout) throws IOException {
        // In time for sure: counts against a report of failure. Perhaps in time: excuses a missing report.
        Set<String> inTime = new HashSet<>();
        Set<String> perhapsInTime = new HashSet<>();
        int acknowledged = 0;
        int late = 0;
        for (ServeEvent served : standIn.getAllServeEvents()) {
            String body = served.getResponse().getBodyAsString();
            if (served.getResponse().getStatus() == 200 && body.startsWith("[1,\"Sent\"")) {
                acknowledged++;
                long millis = served.getTiming() == null || served.getTiming().getTotalTime() == null ? 0 : served.getTiming().getTotalTime();
                boolean surelyInTime = millis < attemptTimeout.toMillis() - MARGIN_MILLIS;
                boolean surelyLate = millis > attemptTimeout.toMillis() + MARGIN_MILLIS;
                if (surelyLate) {
                    late++;
                    continue;
                }
                List<String> ids = new ArrayList<>();
                JsonNode message = JSON.readTree(served.getRequest().getBody());
                if ("batch".equals(message.path("type").asText())) {
                    message.path("messages").forEach(item -> ids.add(item.path("message_id").asText()));
                } else {
                    ids.add(message.path("message_id").asText());
                }
                perhapsInTime.addAll(ids);
                if (surelyInTime) {
                    inTime.addAll(ids);
                }
            }
        }
        Set<String> reported = new HashSet<>(failedIds);
        Map<String, Sent> newest = new HashMap<>();
        for (Sent s : sent) {
            if (s.progress()) {
                newest.merge(s.channel() + "/" + s.content(), s, (a, b) -> b.clock() >= a.clock() ? b : a);
            }
        }
        int lost = 0;
        int duplicates = 0;
        List<String> duplicateIds = new ArrayList<>();
        for (Sent s : sent) {
            String carrier = s.progress() ? newest.get(s.channel() + "/" + s.content()).messageId() : s.messageId();
            boolean wasReported = reported.contains(s.messageId());
            if (!perhapsInTime.contains(carrier) && !wasReported) {
                lost++;
            }
            if (inTime.contains(carrier) && wasReported) {
                duplicates++;
                duplicateIds.add(s.messageId());
            }
        }
        return new Result(sent.size(), reported.size(), lost, duplicates, acknowledged, late, duplicateIds);
    }
}
