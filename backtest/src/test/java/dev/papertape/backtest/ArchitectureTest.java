package dev.papertape.backtest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The backtest runs the live graph on a file and needs no running stack: it never touches Kafka,
 * the database or the embedded runner of the live jobs, and builds no strategy logic of its own (it
 * drives the signals job's operators and the ledger).
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.papertape.backtest");

  @Test
  void noKafkaNoDatabaseNoLocalRunner() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..",
            "org.apache.flink.connector.kafka..",
            "java.sql..",
            "org.postgresql..",
            "dev.papertape.flink.local..",
            "dev.papertape.api..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.papertape.flink.io.JdbcSinks")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.papertape.flink.io.KafkaSinks")
        .check(CLASSES);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.papertape.backtest.(**)").should().beFreeOfCycles().check(CLASSES);
  }
}
