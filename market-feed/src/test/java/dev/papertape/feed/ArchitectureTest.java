package dev.papertape.feed;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The feed's packages have no cycles; only the command line knows picocli's commands, and the
 * sources (sim, replay) know nothing of Kafka.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.papertape.feed");

  @Test
  void noPackageCycles() {
    slices().matching("dev.papertape.feed.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void sourcesKnowNothingOfKafkaNorOfTheCommandLine() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.papertape.feed.sim..", "dev.papertape.feed.replay..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "dev.papertape.feed.cli..")
        .check(CLASSES);
  }
}
