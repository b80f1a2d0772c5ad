package io.xscore.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscore.common.messaging.Topics;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The services' {@code application.properties} name only the topics of {@link Topics}: every channel topic
 * ({@code mp.messaging.<incoming|outgoing>.<channel>.topic}, any profile) is a constant of {@link Topics}, or, for an
 * outgoing channel, a dead-letter topic {@code Topics.deadLetter(topic, service)} of this service; every channel that
 * dead-letters names its topic, which is {@code Topics.deadLetter(its topic, service)}; and every constant is the topic
 * of some channel. Reads the four files from the repository (the module's parent directory), so it fails on a typo or
 * a topic added on one side only.
 */
class TopicsTest {

    /** The services with an {@code application.properties}; the directory name is the consumer name of their DLQs. */
    private static final List<String> SERVICES = List.of("gateway", "scoring-service", "dataset-service",
            "trainer-service");

    private static final Pattern CHANNEL_KEY =
            Pattern.compile("(?:%[^.]+\\.)?mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.(.+)");

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "scoring-service", "dataset-service", "trainer-service"})
    void everyTopicOfTheServiceIsATopicsConstant(String service) throws IOException {
        List<String> problems = problems(service, read(service));
        assertTrue(problems.isEmpty(), service + "/src/main/resources/application.properties: " + problems);
    }

    @Test
    void everyTopicsConstantIsTheTopicOfSomeChannel() throws IOException {
        Set<String> configured = new TreeSet<>();
        for (String service : SERVICES) {
            channels(read(service), null).values().forEach(settings -> {
                if (settings.containsKey("topic")) {
                    configured.add(settings.get("topic"));
                }
            });
        }
        assertTrue(configured.containsAll(Topics.all()), "configured " + configured + ", Topics " + Topics.all());
    }

    @Test
    void aTopicNameOutsideTopicsIsReported() throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader("""
                mp.messaging.incoming.training-results.topic=xscore.training-result
                mp.messaging.outgoing.training-results-dead-letters.topic=xscore.training-results.dlq.gateway
                %test.mp.messaging.outgoing.scores.topic=xscore.scores.dlq.scoring-service
                mp.messaging.incoming.scores.connector=smallrye-kafka
                mp.messaging.incoming.scores.failure-strategy=dead-letter-queue
                mp.messaging.incoming.evaluation-plans.topic=xscore.evaluation-plans
                mp.messaging.incoming.evaluation-plans.failure-strategy=dead-letter-queue
                mp.messaging.incoming.evaluation-plans.dead-letter-queue.topic=xscore.evaluation-plans.dlq.scoring-service
                """));
        List<String> problems = problems("gateway", properties);
        assertEquals(5, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("incoming.evaluation-plans.dead-letter-queue.topic"), problems.toString());
        assertTrue(problems.get(1).contains("incoming.scores.topic"), problems.toString());
        assertTrue(problems.get(2).contains("incoming.scores.dead-letter-queue.topic"), problems.toString());
        assertTrue(problems.get(3).contains("incoming.training-results.topic=xscore.training-result"),
                problems.toString());
        assertTrue(problems.get(4).startsWith("%test: outgoing.scores.topic=xscore.scores.dlq.scoring-service"),
                problems.toString());
    }

    /**
     * What is wrong with the channel topics of one service's properties, one line each: the default view in channel
     * order, then each profile's view ({@code %test.} etc. over the defaults) where it adds a problem.
     */
    static List<String> problems(String service, Properties properties) {
        List<String> problems = problems(service, channels(properties, null));
        Set<String> profiles = new TreeSet<>();
        properties.stringPropertyNames().stream().filter(k -> k.startsWith("%") && k.indexOf('.') > 1)
                .forEach(k -> profiles.add(k.substring(1, k.indexOf('.'))));
        for (String profile : profiles) {
            for (String problem : problems(service, channels(properties, profile))) {
                if (!problems.contains(problem)) {
                    problems.add("%" + profile + ": " + problem);
                }
            }
        }
        return problems;
    }

    private static List<String> problems(String service, Map<String, Map<String, String>> channels) {
        List<String> problems = new ArrayList<>();
        channels.forEach((channel, settings) -> {
            boolean incoming = channel.startsWith("incoming.");
            String topic = settings.get("topic");
            if ("true".equals(settings.get("pattern")) && incoming && Topics.patterns().containsKey(topic)) {
                topic = Topics.patterns().get(topic); // a pattern of Topics stands for its topic (and its DLQ)
            } else if (settings.containsKey("topics") || settings.containsKey("pattern")) {
                problems.add(channel + ": name one topic with .topic (topics/pattern are not checked against Topics)");
            }
            if (topic == null) {
                // Without .topic the connector uses the channel name as the topic.
                problems.add(channel + ".topic is not set (the channel name would be the topic)");
            } else if (!Topics.all().contains(topic) && (incoming || !deadLetters(service).contains(topic))) {
                problems.add(channel + ".topic=" + topic + " is not a Topics constant"
                        + (incoming ? "" : " nor Topics.deadLetter(<topic>, \"" + service + "\")"));
            }
            String deadLetter = settings.get("dead-letter-queue.topic");
            if ("dead-letter-queue".equals(settings.get("failure-strategy")) || deadLetter != null) {
                String expected = topic == null ? null : Topics.deadLetter(topic, service);
                if (!incoming || deadLetter == null || !deadLetter.equals(expected)) {
                    problems.add(channel + ".dead-letter-queue.topic=" + deadLetter + ", expected Topics.deadLetter("
                            + topic + ", \"" + service + "\") = " + expected);
                }
            }
        });
        return problems;
    }

    /**
     * Channel ({@code incoming.name} / {@code outgoing.name}) to its settings as the given profile sees them (null: no
     * profile), sorted by channel.
     */
    private static Map<String, Map<String, String>> channels(Properties properties, String profile) {
        Map<String, Map<String, String>> channels = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = CHANNEL_KEY.matcher(key);
            boolean profiled = key.startsWith("%");
            if (m.matches() && (!profiled || key.startsWith("%" + profile + "."))) {
                Map<String, String> settings = channels.computeIfAbsent(m.group(1) + "." + m.group(2),
                        c -> new TreeMap<>());
                String value = properties.getProperty(key).strip();
                if (profiled) {
                    settings.put(m.group(3), value);
                } else {
                    settings.putIfAbsent(m.group(3), value);
                }
            }
        }
        return channels;
    }

    private static Set<String> deadLetters(String service) {
        Set<String> names = new TreeSet<>();
        Topics.all().forEach(topic -> names.add(Topics.deadLetter(topic, service)));
        return names;
    }

    private static Properties read(String service) throws IOException {
        Path file = repositoryRoot().resolve(service).resolve("src/main/resources/application.properties");
        assertTrue(Files.isRegularFile(file), "missing " + file);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    /** The checkout: the nearest directory above the working directory that holds the Maven wrapper and the gateway. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("gateway"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
}
