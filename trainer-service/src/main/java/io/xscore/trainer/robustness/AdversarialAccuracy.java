package io.xscore.trainer.robustness;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Accuracy under a list of PGD attacks of one norm (several radii ε, possibly several step counts per radius), over
 * any number of batches.
 *
 * <p><b>Monotone worst-case accounting.</b> An example counts as robust at ε only if it is classified correctly clean
 * and under every attack of this list whose radius is ≤ ε. An example fooled at ε′ ≤ ε is also fooled at ε (the
 * ε′-ball lies inside the ε-ball, so the attack at ε could have found the same point), so this is a valid
 * accuracy under the ε threat model, and it never rises with ε by construction, whatever the individual attacks happen
 * to find. For attacks of equal ε (e.g. different step counts) it is the worst case over all of them. The accuracy of
 * each attack on its own is reported beside it ({@link Row#attackAccuracy()}); it can rise with ε when a larger-ε
 * attack happens to miss a point a smaller one found.
 *
 * <p>ε = 0 (or an attack that does not perturb at all) runs no attack and gives exactly the clean accuracy.
 *
 * <p>Usage: one instance per evaluated set; call {@link #add} once per batch, in any order, with each batch's index of
 * its first example (random starts are drawn per example index, so the batching does not change the result); then
 * {@link #result()}.
 */
public final class AdversarialAccuracy {

    private final PgdAttack attack;
    private final List<PgdSettings> attacks;
    private final long[] attackCorrect;
    private final long[] worstCaseCorrect;
    private long cleanCorrect;
    private long examples;

    /**
     * @param attack  the attack on the trained model
     * @param attacks the attacks to run, all of one norm; they are run and reported in order of ε (then of steps)
     */
    public AdversarialAccuracy(PgdAttack attack, List<PgdSettings> attacks) {
        if (attack == null || attacks == null || attacks.isEmpty()) {
            throw new IllegalArgumentException("an attack and at least one PgdSettings are required");
        }
        PgdSettings.Norm norm = attacks.get(0).norm();
        for (PgdSettings s : attacks) {
            if (s.norm() != norm) {
                throw new IllegalArgumentException("all attacks must use one norm, got " + norm + " and " + s.norm()
                        + " (evaluate each norm separately: their radii are not comparable)");
            }
        }
        this.attack = attack;
        this.attacks = attacks.stream()
                .sorted(Comparator.comparingDouble(PgdSettings::epsilon).thenComparingInt(PgdSettings::steps))
                .toList();
        this.attackCorrect = new long[attacks.size()];
        this.worstCaseCorrect = new long[attacks.size()];
    }

    /** The attacks in the order they are run and reported: by ε, then by steps. */
    public List<PgdSettings> attacks() {
        return attacks;
    }

    /**
     * Runs every attack on one batch and adds it to the totals.
     *
     * @param pixels01   n × 3 × height × width floats in [0, 1] (NCHW, not normalised)
     * @param labels     n true labels
     * @param firstIndex the index of the batch's first example in the evaluated set
     * @return per attack (in the order of {@link #attacks()}), per example: robust in the monotone worst-case sense
     */
    public boolean[][] add(float[] pixels01, int[] labels, int height, int width, long firstIndex) {
        int n = labels.length;
        boolean[][] robust = new boolean[attacks.size()][];
        boolean[] clean = null;
        boolean[] sofar = null;
        for (int a = 0; a < attacks.size(); a++) {
            PgdSettings s = attacks.get(a);
            PgdAttack.BatchResult r = attack.attack(s, pixels01, labels, height, width, firstIndex);
            if (clean == null) {
                clean = r.cleanCorrect();
                sofar = clean.clone();
            }
            boolean[] now = r.adversarialCorrect();
            // every attack with ε' ≤ ε has run before this one (sorted); the same ε counts as well
            for (int i = 0; i < n; i++) {
                sofar[i] &= now[i];
            }
            robust[a] = sofar.clone();
            attackCorrect[a] += count(now);
        }
        for (int a = attacks.size() - 1; a >= 0; a--) {
            // an attack shares the worst case of every later one with the same ε
            if (a + 1 < attacks.size() && attacks.get(a + 1).epsilon() == attacks.get(a).epsilon()) {
                robust[a] = robust[a + 1].clone();
            }
            worstCaseCorrect[a] += count(robust[a]);
        }
        cleanCorrect += count(clean);
        examples += n;
        return robust;
    }

    private static long count(boolean[] values) {
        long c = 0;
        for (boolean v : values) {
            c += v ? 1 : 0;
        }
        return c;
    }

    /** The totals so far. */
    public Result result() {
        List<Row> rows = new ArrayList<>();
        for (int a = 0; a < attacks.size(); a++) {
            rows.add(new Row(attacks.get(a), percent(attackCorrect[a]), percent(worstCaseCorrect[a])));
        }
        return new Result(examples, percent(cleanCorrect), List.copyOf(rows));
    }

    private double percent(long correct) {
        return examples == 0 ? Double.NaN : 100.0 * correct / examples;
    }

    /**
     * One attack's accuracies in percent.
     *
     * @param attackAccuracy    correct under this attack alone (clean-correct included)
     * @param worstCaseAccuracy correct clean and under every attack of radius ≤ this ε: never rises with ε
     */
    public record Row(PgdSettings settings, double attackAccuracy, double worstCaseAccuracy) {
    }

    /** Totals: the number of examples, the clean accuracy in percent and one row per attack (by ε, then steps). */
    public record Result(long examples, double cleanAccuracy, List<Row> rows) {
    }
}
