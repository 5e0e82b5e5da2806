package io.syncfanout.pubnub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.pubnub.internal.PubNubUtil;

/** Our signature must be the one the official PubNub Java SDK (pubnub-gson 13.1.1) computes. */
class RequestSignerTest {

    private static final int FIXED_TIMESTAMP = 1_764_237_600;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pub-c-1|sub-c-1|sec-c-1|user.alice.sync|sync-fanout|",
            "pub-c-1|sub-c-1|sec-c-1|user.alice.sync|sync-fanout|auth-token-1",
            "pub-c-9f|sub-c-9f|c2VjcmV0+/=|user.ällo@example.com.sync|fan out*~|p0F2AkF0Gmc+/=",
            "demo|demo|s|user.😀-rtl-שלום.sync|a b|t!'()",
    })
    void signsAsTheOfficialSdkDoes(String publishKey, String subscribeKey, String secretKey, String channel, String uuid,
            String auth) {
        String path = "/publish/" + PercentEncoding.encode(publishKey) + "/" + PercentEncoding.encode(subscribeKey) + "/0/"
                + PercentEncoding.encode(channel) + "/0";
        TreeMap<String, String> params = new TreeMap<>();
        params.put("uuid", uuid);
        params.put("store", "1");
        if (auth != null) {
            params.put("auth", auth);
        }
        params.put("timestamp", Integer.toString(FIXED_TIMESTAMP));
        String body = "{\"type\":\"watchlist_update\",\"message_id\":\"m0\"}";

        String ours = new RequestSigner(subscribeKey, publishKey, secretKey).sign(path, params);

        Map<String, String> sdkParams = new HashMap<>(params);
        sdkParams.remove("timestamp"); // the SDK adds it itself
        String sdk = PubNubUtil.INSTANCE.generateSignature(path, sdkParams, "POST", new String(body.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8), FIXED_TIMESTAMP, subscribeKey, publishKey, secretKey);
        assertEquals(sdk, ours);
    }
}
