import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Writes SQS events shaped exactly as Lambda delivers them (every attribute, md5OfBody,
 * eventSourceARN, awsRegion), full of sync updates as the producers write them.
 *
 *   java samples/Generate.java standard [records] [users]   a standard queue, many users
 *   java samples/Generate.java fifo     [records] [groups]  a FIFO queue, households as message groups
 *   java samples/Generate.java invalid                      invalid records among valid ones
 *   java samples/Generate.java burst    [records] [users]   a large burst (default 5000 for 500 users)
 *
 * Output is deterministic (seeded), so the committed samples are this program's output.
 */
public class Generate {

    private static final long T0 = 1_764_237_600_000L; // 2025-11-27T10:00:00Z
    private final Random random = new Random(20261127);
    private final List<String> records = new ArrayList<>();
    private final String queueArn;
    private final boolean fifo;
    private long counter;

    Generate(boolean fifo) {
        this.fifo = fifo;
        this.queueArn = "arn:aws:sqs:us-east-1:123456789012:sync-fanout" + (fifo ? ".fifo" : "");
    }

    static final String USAGE = "usage: java samples/Generate.java standard|fifo|invalid|burst [records] [users or groups]";

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "standard";
        int a;
        int b;
        try {
            a = args.length > 1 ? Integer.parseInt(args[1]) : -1;
            b = args.length > 2 ? Integer.parseInt(args[2]) : -1;
        } catch (NumberFormatException e) {
            refuse("records, users and groups are whole numbers");
            return;
        }
        Generate out = new Generate(kind.equals("fifo"));
        switch (kind) {
            case "standard" -> out.users(a > 0 ? a : 300, b > 0 ? b : 50);
            case "burst" -> out.users(a > 0 ? a : 5000, b > 0 ? b : 500);
            case "fifo" -> out.households(a > 0 ? a : 60, b > 0 ? b : 4);
            case "invalid" -> out.invalid();
            default -> {
                refuse("no kind '" + kind + "': standard, fifo, invalid or burst");
                return;
            }
        }
        System.out.println(out.json());
    }

    /** A wrong command line: what was wrong and how to write it, on standard error, and exit status 2. */
    private static void refuse(String why) {
        System.err.println("Generate: " + why);
        System.err.println(USAGE);
        System.exit(2);
    }

    /** Each user watches two titles (progress every few seconds) and edits a watchlist now and then. */
    void users(int count, int users) throws Exception {
        for (int i = 0; i < count; i++) {
            int user = random.nextInt(users);
            add(update("user-" + String.format("%04d", user), i), null);
        }
    }

    /** Households share a message group, so a group spans several users' channels. */
    void households(int count, int households) throws Exception {
        for (int i = 0; i < count; i++) {
            int household = random.nextInt(households);
            String member = "hh" + household + "-" + (char) ('a' + random.nextInt(3));
            add(update(member, i), "household-" + household);
        }
    }

    void invalid() throws Exception {
        add(watchlist("ivy", "movie-1", "Add", clock()), null);
        add("{\"user_id\":\"ivy.admin\",\"type\":\"watchlist_update\",\"device_id\":\"web\",\"timestamp\":" + clock()
                + ",\"operation\":\"Add\",\"content_id\":\"movie-2\",\"unique_tag\":\"t-2\"}", null);
        add("this is not JSON", null);
        add("{\"user_id\":\"ivy\",\"type\":\"like\",\"device_id\":\"web\",\"timestamp\":" + clock() + "}", null);
        add(progress("jon", "film-1", clock(), 120), null);
        add("{\"user_id\":\"jon\",\"type\":\"progress_update\",\"device_id\":\"tv\",\"timestamp\":-5,"
                + "\"content_id\":\"film-1\",\"position_seconds\":1,\"duration_seconds\":2,\"state\":\"Playing\"}", null);
        add("{\"user_id\":\"" + "k".repeat(83) + "\",\"type\":\"progress_update\",\"device_id\":\"tv\",\"timestamp\":" + clock()
                + ",\"content_id\":\"film-1\",\"position_seconds\":1,\"duration_seconds\":2,\"state\":\"Playing\"}", null);
        add("{\"user_id\":\"kim\",\"type\":\"progress_update\",\"device_id\":\"tv\",\"timestamp\":" + clock()
                + ",\"content_id\":\"film-1\",\"position_seconds\":\"ten\",\"duration_seconds\":2,\"state\":\"Playing\"}", null);
        add("{\"user_id\":\"kim\",\"type\":\"watchlist_update\",\"device_id\":\"tv\",\"timestamp\":" + clock()
                + ",\"operation\":\"Add\",\"content_id\":\"film-9\",\"unique_tag\":\"t-9\",\"poster\":\"" + "x".repeat(40_000) + "\"}", null);
        add(watchlist("denied-lee", "movie-3", "Add", clock()), null);
        add(watchlist("kim", "movie-4", "Remove", clock()), null);
        add(progress("jon", "film-1", clock(), 180), null);
    }

    private String update(String user, int i) {
        int roll = random.nextInt(10);
        if (roll < 7) {
            return progress(user, "title-" + random.nextInt(2), clock(), 60L * random.nextInt(90));
        }
        return watchlist(user, "show-" + random.nextInt(20), random.nextBoolean() ? "Add" : "Remove", clock());
    }

    /** A hybrid logical clock as the contract recommends: physical ms << 16 | a 16-bit counter. */
    private long clock() {
        counter++;
        return ((T0 + counter * 250) << 16) | (counter & 0xffff);
    }

    private static String progress(String user, String content, long hlc, long position) {
        return "{\"user_id\":\"" + user + "\",\"type\":\"progress_update\",\"device_id\":\"tv-living-room\",\"timestamp\":" + hlc
                + ",\"content_id\":\"" + content + "\",\"position_seconds\":" + position
                + ",\"duration_seconds\":5400,\"state\":\"Playing\",\"sent_at\":\"2025-11-27T10:00:00.000Z\"}";
    }

    private static String watchlist(String user, String content, String operation, long hlc) {
        return "{\"user_id\":\"" + user + "\",\"type\":\"watchlist_update\",\"device_id\":\"phone-ios\",\"timestamp\":" + hlc
                + ",\"operation\":\"" + operation + "\",\"content_id\":\"" + content + "\",\"unique_tag\":\""
                + Long.toHexString(hlc) + "\"}";
    }

    private void add(String body, String group) throws Exception {
        int index = records.size();
        byte[] handle = new byte[180];
        random.nextBytes(handle);
        String messageId = new UUID(random.nextLong(), random.nextLong()).toString();
        StringBuilder attributes = new StringBuilder()
                .append("\"ApproximateReceiveCount\":\"1\",")
                .append("\"SentTimestamp\":\"").append(T0 + index).append("\",");
        if (group != null) {
            attributes.append("\"SequenceNumber\":\"").append("18849496460467696").append(String.format("%03d", index % 1000)).append("\",")
                    .append("\"MessageGroupId\":\"").append(group).append("\",")
                    .append("\"SenderId\":\"AROAEXAMPLE:sync-api\",")
                    .append("\"MessageDeduplicationId\":\"").append(messageId).append("\",");
        } else {
            attributes.append("\"SenderId\":\"AROAEXAMPLE:sync-api\",");
        }
        attributes.append("\"ApproximateFirstReceiveTimestamp\":\"").append(T0 + index + 12).append("\"");
        records.add("{\"messageId\":\"" + messageId + "\","
                + "\"receiptHandle\":\"AQEB" + Base64.getEncoder().encodeToString(handle) + "\","
                + "\"body\":" + quote(body) + ","
                + "\"attributes\":{" + attributes + "},"
                + "\"messageAttributes\":{},"
                + "\"md5OfBody\":\"" + md5(body) + "\","
                + "\"eventSource\":\"aws:sqs\","
                + "\"eventSourceARN\":\"" + queueArn + "\","
                + "\"awsRegion\":\"us-east-1\"}");
    }

    private String json() {
        return "{\"Records\":[\n" + String.join(",\n", records) + "\n]}";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String md5(String body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    }
}
