package dev.ncp.host.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line must be a {@code # HELP}, a
 * {@code # TYPE} or a sample {@code name{label="value",...} value}; anything else fails the parse.
 */
public record PrometheusText(List<Sample> samples, Map<String, String> types) {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"(,|$)");
    private static final Pattern TYPE = Pattern.compile(
            "# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");

    public static PrometheusText parse(String text) {
        var samples = new ArrayList<Sample>();
        var types = new LinkedHashMap<String, String>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty() || line.startsWith("# HELP ")) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                types.put(type.group(1), type.group(2));
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("line " + n + " is not Prometheus text: " + line);
            }
            samples.add(new Sample(m.group(1), labels(m.group(2), line), value(m.group(3), line)));
        }
        return new PrometheusText(List.copyOf(samples), Map.copyOf(types));
    }

    /** The sum of the samples named {@code name} whose labels include every given {@code key, value} pair. */
    public double sum(String name, String... labelPairs) {
        return matching(name, labelPairs).stream().mapToDouble(Sample::value).sum();
    }

    public List<Sample> matching(String name, String... labelPairs) {
        return samples.stream().filter(s -> s.name().equals(name)).filter(s -> {
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    private static Map<String, String> labels(String text, String line) {
        var labels = new LinkedHashMap<String, String>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher m = LABEL.matcher(text);
        int end = 0;
        while (m.find() && m.start() == end) {
            labels.put(m.group(1), m.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
            end = m.end();
        }
        if (end != text.length()) {
            throw new AssertionError("bad labels in: " + line);
        }
        return labels;
    }

    private static double value(String text, String line) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new AssertionError("bad value in: " + line, e);
                }
            }
        };
    }
}
