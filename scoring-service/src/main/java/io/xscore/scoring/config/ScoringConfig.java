package io.xscore.scoring.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

/** {@code xscore.scoring.*}: how xScores are computed and how the service treats its inputs. */
@ConfigMapping(prefix = "xscore.scoring")
public interface ScoringConfig {

    /** λ in xScore = G − λ·V (BENCHMARK §1; the paper's default 0.5). */
    @WithDefault("0.5")
    @PositiveOrZero
    double lambda();

    /** {@code sample} (divide by D − 1, the paper's reference code) or {@code population} (divide by D). */
    @WithDefault("sample")
    @Pattern(regexp = "sample|population")
    String varianceDivisor();

    /** k of the k-of-D proxy: how many datasets the proxy fitted on the reference table uses (BENCHMARK §1.4). */
    @WithDefault("4")
    @Min(1)
    @Max(7)
    int proxyK();

    /** Most results one {@code GET /api/v1/results} query returns. */
    @WithDefault("1000")
    @Min(1)
    int resultsQueryLimit();
}
