package dev.papertape.strategy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Strategies are plain Java (DESIGN.md, Principles): they depend on the contracts, the JDK and
 * Jackson (the control-event codec) only, never on Flink, Spring, Kafka or a process module, so the
 * signals job, the backtest and the API use them unchanged.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.papertape.strategy");

  @Test
  void strategiesDependOnlyOnTheContractsTheJdkAndJackson() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.papertape.strategy..",
            "dev.papertape.model..",
            "java..",
            "com.fasterxml.jackson..")
        .check(CLASSES);
  }

  /**
   * JSON is read and written only by the control-event codec, and only through the model's strict
   * {@code Json} (its limits and messages) and Jackson's tree types: no other class here touches
   * JSON, and none builds its own {@code ObjectMapper}.
   */
  @Test
  void onlyTheControlCodecReadsJson() {
    noClasses()
        .that()
        .doNotHaveSimpleName("ControlEventCodec")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.fasterxml.jackson..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.papertape.model.Json")
        .check(CLASSES);
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.fasterxml.jackson.core..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("com.fasterxml.jackson.databind.ObjectMapper")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("com.fasterxml.jackson.databind.json.JsonMapper")
        .check(CLASSES);
  }

  @Test
  void stateIsNeverJavaSerialized() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.ObjectOutputStream")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.io.ObjectInputStream")
        .check(CLASSES);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.papertape.(**)").should().beFreeOfCycles().check(CLASSES);
  }
}
