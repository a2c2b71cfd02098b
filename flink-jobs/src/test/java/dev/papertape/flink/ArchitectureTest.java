package dev.papertape.flink;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The job packages have no cycles; the jobs never depend on the local runner (the runner is one way
 * to run them, a Flink cluster is another); nothing here depends on the API or the feed.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.papertape.flink");

  @Test
  void noPackageCycles() {
    slices().matching("dev.papertape.flink.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void jobsDoNotDependOnTheLocalRunner() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.papertape.flink.local..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.papertape.flink.local..")
        .check(CLASSES);
  }

  @Test
  void noDependencyOnTheOtherProcesses() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.papertape.api..", "dev.papertape.feed..")
        .check(CLASSES);
  }
}
