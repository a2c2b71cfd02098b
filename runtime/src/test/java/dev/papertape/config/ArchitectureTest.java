package dev.papertape.config;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The runtime plumbing (settings, topics, health server) serves every process and depends on none
 * of them, nor on the contracts.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.papertape.config", "dev.papertape.kafka", "dev.papertape.ops");

  @Test
  void runtimeDependsOnNoProcessNorOnTheContracts() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.papertape.model..",
            "dev.papertape.flink..",
            "dev.papertape.api..",
            "dev.papertape.feed..")
        .check(CLASSES);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.papertape.(*)..").should().beFreeOfCycles().check(CLASSES);
  }
}
