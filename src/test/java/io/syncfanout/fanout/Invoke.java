package io.syncfanout.fanout;

import static io.restassured.RestAssured.given;

import java.util.List;

import io.restassured.path.json.JsonPath;
import io.syncfanout.testing.SqsEvents;

/** Posts an SQS event to the Lambda mock event server, as Lambda would deliver it. */
final class Invoke {

    private Invoke() {
    }

    static JsonPath lambda(SqsEvents event) {
        return given().contentType("application/json").accept("application/json").body(event.json())
                .when().post()
                .then().statusCode(200)
                .extract().jsonPath();
    }

    /** The SQS messageIds the function asked SQS to deliver again. */
    static List<String> failedIds(SqsEvents event) {
        return lambda(event).getList("batchItemFailures.itemIdentifier", String.class);
    }
}
