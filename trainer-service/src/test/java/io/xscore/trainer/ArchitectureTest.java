package io.xscore.trainer;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The service's packages ({@code io.xscore.trainer.<package>} and everything below it) form no dependency cycle. Plain
 * JUnit on the compiled main classes (tests excluded), no Quarkus start. A rule that matches no class fails, so an
 * import that finds nothing cannot pass silently.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.xscore.trainer");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.xscore.trainer.(*)..").should().beFreeOfCycles().check(MAIN_CLASSES);
    }
}
