package io.syncfanout.pubnub;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding as the PubNub SDKs apply it to path segments and signed query values: UTF-8,
 * space as {@code %20}, {@code *} as {@code %2A}, {@code ~} as {@code %7E}.
 */
public final class PercentEncoding {

    private PercentEncoding() {
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A"); // URLEncoder already writes '~' as %7E
    }
}
