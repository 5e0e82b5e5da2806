package io.syncfanout.testing;

/** Sync update bodies as the producers write them (contract, section 1). */
public final class Updates {

    private Updates() {
    }

    public static String progress(String user, String content, long hlc, long position) {
        return "{\"user_id\":\"" + user + "\",\"type\":\"progress_update\",\"device_id\":\"tv-1\",\"timestamp\":" + hlc
                + ",\"content_id\":\"" + content + "\",\"position_seconds\":" + position
                + ",\"duration_seconds\":5400,\"state\":\"Playing\",\"sent_at\":\"2026-11-27T10:00:00.123Z\"}";
    }

    public static String watchlist(String user, String content, String operation, long hlc) {
        return "{\"user_id\":\"" + user + "\",\"type\":\"watchlist_update\",\"device_id\":\"phone-1\",\"timestamp\":" + hlc
                + ",\"operation\":\"" + operation + "\",\"content_id\":\"" + content + "\",\"unique_tag\":\"tag-" + hlc + "\"}";
    }

    /** A hybrid logical clock value as the contract recommends: physical ms << 16 | counter. */
    public static long hlc(long millis, int counter) {
        return (millis << 16) | counter;
    }
}
