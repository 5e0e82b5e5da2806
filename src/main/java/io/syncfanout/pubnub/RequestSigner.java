package io.syncfanout.pubnub;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.SortedMap;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a publish as the official PubNub Java SDK does for a POST to {@code /publish} (contract,
 * section 3): HMAC-SHA256 over {@code sub\npub\npath\nquery}, URL-safe Base64 with its padding.
 */
public final class RequestSigner {

    private final String subscribeKey;
    private final String publishKey;
    private final SecretKeySpec secret;

    public RequestSigner(String subscribeKey, String publishKey, String secretKey) {
        this.subscribeKey = subscribeKey;
        this.publishKey = publishKey;
        this.secret = new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * @param encodedPath the request path exactly as sent, e.g. {@code /publish/pub/sub/0/user.a.sync/0}
     * @param params every query parameter but {@code signature}, not yet encoded
     */
    public String sign(String encodedPath, SortedMap<String, String> params) {
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + PercentEncoding.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        String input = subscribeKey + "\n" + publishKey + "\n" + encodedPath + "\n" + query;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            byte[] digest = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest).replace('+', '-').replace('/', '_');
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Never include the key or the input: both carry secrets.
            throw new IllegalStateException("HmacSHA256 is unavailable in this runtime", e);
        }
    }
}
