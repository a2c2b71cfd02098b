package dev.papertape.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The contracts depend on nothing of ours: only the JDK and Jackson (their JSON). */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.papertape.model");

  @Test
  void contractsDependOnlyOnTheJdkAndJackson() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("dev.papertape.model..", "java..", "com.fasterxml.jackson..")
        .check(CLASSES);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.papertape.(**)").should().beFreeOfCycles().check(CLASSES);
  }
}
