import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Prints line and branch coverage per module from the JaCoCo CSV reports the build writes
 * ({@code <module>/target/site/jacoco/jacoco.csv}), and the total. Run by {@code ./xscore test} after the build;
 * {@code java tools/coverage/CoverageSummary.java [repository root]} runs it alone (Java 17 source launcher).
 * Coverage is reported, not enforced: the modules that test through real processes (e2e, fault tests) add no
 * numbers here because their code runs in other JVMs.
 */
public final class CoverageSummary {

    private CoverageSummary() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        List<Path> reports = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root, 6)) {
            files.filter(p -> p.endsWith(Path.of("target", "site", "jacoco", "jacoco.csv"))).sorted()
                    .forEach(reports::add);
        }
        if (reports.isEmpty()) {
            System.out.println("coverage: no JaCoCo reports found (run the build's verify phase first)");
            return;
        }
        long[] total = new long[4];
        System.out.println("coverage (JaCoCo, unit and @QuarkusTest tests): module, lines, branches");
        for (Path report : reports) {
            long[] sum = new long[4]; // line missed, line covered, branch missed, branch covered
            List<String> lines = Files.readAllLines(report);
            for (String line : lines.subList(1, lines.size())) {
                // GROUP may contain commas inside quotes; the numeric columns are the last ten
                String[] f = line.split(",");
                int n = f.length;
                sum[0] += Long.parseLong(f[n - 6]);
                sum[1] += Long.parseLong(f[n - 5]);
                sum[2] += Long.parseLong(f[n - 8]);
                sum[3] += Long.parseLong(f[n - 7]);
            }
            for (int i = 0; i < 4; i++) {
                total[i] += sum[i];
            }
            Path module = root.relativize(report.getParent().getParent().getParent().getParent());
            System.out.println(row(module.toString().isEmpty() ? "." : module.toString(), sum));
        }
        System.out.println(row("total", total));
    }

    private static String row(String name, long[] s) {
        return String.format(Locale.ROOT, "  %-18s %6.1f %% of %6d lines   %6.1f %% of %6d branches", name,
                percent(s[1], s[0] + s[1]), s[0] + s[1], percent(s[3], s[2] + s[3]), s[2] + s[3]);
    }

    private static double percent(long covered, long all) {
        return all == 0 ? 0.0 : 100.0 * covered / all;
    }
}
