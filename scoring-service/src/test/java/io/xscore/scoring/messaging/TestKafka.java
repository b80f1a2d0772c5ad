package io.xscore.scoring.messaging;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.xscore.common.json.MessageCodec;
import io.xscore.common.messaging.Topics;
import io.xscore.common.messaging.TrainingResult;
import io.xscore.testsupport.KafkaBrokerTestResource;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One Kafka companion and one {@code xscore.scores} consumer for every @QuarkusTest of the module (the broker is
 * shared per JVM), created on first use once the broker runs.
 */
final class TestKafka {

    private static KafkaCompanion kafka;
    private static ConsumerTask<String, String> scores;

    private TestKafka() {
    }

    static synchronized KafkaCompanion kafka() {
        if (kafka == null) {
            kafka = new KafkaCompanion(KafkaBrokerTestResource.bootstrapServers());
        }
        return kafka;
    }

    /** Every score set published since the first call. */
    static synchronized ConsumerTask<String, String> scores() {
        if (scores == null) {
            scores = kafka().consumeStrings().fromTopics(Topics.SCORES);
        }
        return scores;
    }

    static void produceResult(TrainingResult r) {
        produce(Topics.TRAINING_RESULTS, r.jobId(), MessageCodec.encode(r));
    }

    static void produce(String topic, String key, String value) {
        kafka().produceStrings().fromRecords(new ProducerRecord<>(topic, key, value))
                .awaitCompletion(Duration.ofSeconds(10));
    }
}
