package io.xscore.scoring.xscore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** Rankings of scores, best (highest) first. */
public final class Ranks {

    private Ranks() {
    }

    /**
     * Standard competition ranking ("1224"): the highest score gets rank 1; scores within {@code tolerance} of the
     * score that opened the current group share its rank, and the next distinct score gets 1 + the number of scores
     * ahead of it. Returns ranks in the input order.
     */
    public static List<Integer> competition(List<Double> scores, double tolerance) {
        List<Integer> order = IntStream.range(0, scores.size()).boxed()
                .sorted(Comparator.comparing((Integer i) -> scores.get(i)).reversed())
                .toList();
        List<Integer> ranks = new ArrayList<>(java.util.Collections.nCopies(scores.size(), 0));
        double groupScore = Double.NaN;
        int groupRank = 0;
        for (int pos = 0; pos < order.size(); pos++) {
            int i = order.get(pos);
            double s = scores.get(i);
            if (pos == 0 || Math.abs(groupScore - s) > tolerance) {
                groupScore = s;
                groupRank = pos + 1;
            }
            ranks.set(i, groupRank);
        }
        return ranks;
    }
}
