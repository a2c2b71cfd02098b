package dev.papertape.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The API's feature packages have no cycles, and the API knows nothing of Flink or the feed. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.papertape.api");

  @Test
  void noCyclesBetweenFeaturePackages() {
    slices().matching("dev.papertape.api.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void noDependencyOnTheOtherProcesses() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.papertape.flink..", "dev.papertape.feed..", "org.apache.flink..")
        .check(CLASSES);
  }
}
