package bench;

import java.util.List;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import io.quarkus.funqy.Funq;

/** Takes the same event as sync-fanout and answers that everything succeeded. */
public class Trivial {

    @Funq
    public SQSBatchResponse trivial(SQSEvent event) {
        return new SQSBatchResponse(List.of());
    }
}
