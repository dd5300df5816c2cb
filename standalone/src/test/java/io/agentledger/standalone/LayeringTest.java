package io.agentledger.standalone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module layering of DESIGN.md ("Modules"), checked on the main classes of every module on this
 * classpath: a class depends only on its own layer and the layers below it, and never on another
 * library's or module's {@code internal} package.
 *
 * <p>{@code bench}, on top of everything, is not on this classpath; no module depends on it.
 *
 * <p>Maven's module graph already stops most upward imports at compile time; this catches the rest
 * (siblings such as the two store adapters, or the collector and the analyzer, which the module
 * graph would let one depend on the other) and the {@code internal} packages, which Maven cannot
 * see.
 */
class LayeringTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // core's test-jar (the reactor puts it, not test-classes, on this classpath)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.agentledger");
  }

  /** The store ports: {@code io.agentledger.store} and its subpackages but the adapters. */
  private static final DescribedPredicate<JavaClass> STORE_PORTS =
      DescribedPredicate.describe(
          "io.agentledger.store (not the adapters)",
          c ->
              (c.getPackageName() + ".").startsWith("io.agentledger.store.")
                  && !(c.getPackageName() + ".").startsWith("io.agentledger.store.duckdb.")
                  && !(c.getPackageName() + ".").startsWith("io.agentledger.store.clickhouse."));

  @Test
  void everyModule_dependsOnlyOnTheLayersBelowIt() {
    layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage("io.agentledger..")
        .layer("core")
        .definedBy("io.agentledger.core..")
        .layer("instrumentation")
        .definedBy("io.agentledger.instrumentation..")
        .layer("store")
        .definedBy(STORE_PORTS)
        .layer("store-duckdb")
        .definedBy("io.agentledger.store.duckdb..")
        .layer("store-clickhouse")
        .definedBy("io.agentledger.store.clickhouse..")
        .layer("collector")
        .definedBy("io.agentledger.collector..")
        .layer("analyzer")
        .definedBy("io.agentledger.analyzer..")
        .layer("query-api")
        .definedBy("io.agentledger.api..")
        .layer("embedded-kafka")
        .definedBy("io.agentledger.kafka.embedded..")
        .layer("embedded-clickhouse")
        .definedBy("io.agentledger.clickhouse.embedded..")
        .layer("standalone")
        .definedBy("io.agentledger.standalone..")
        .whereLayer("standalone")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("collector")
        .mayOnlyBeAccessedByLayers("standalone")
        .whereLayer("analyzer")
        .mayOnlyBeAccessedByLayers("standalone")
        .whereLayer("query-api")
        .mayOnlyBeAccessedByLayers("standalone")
        .whereLayer("store-duckdb")
        .mayOnlyBeAccessedByLayers("standalone")
        .whereLayer("store-clickhouse")
        .mayOnlyBeAccessedByLayers("standalone")
        .whereLayer("store")
        .mayOnlyBeAccessedByLayers(
            "store-duckdb", "store-clickhouse", "collector", "analyzer", "query-api", "standalone")
        .whereLayer("instrumentation")
        .mayOnlyBeAccessedByLayers("standalone")
        .whereLayer("embedded-kafka")
        .mayOnlyBeAccessedByLayers("standalone")
        .whereLayer("embedded-clickhouse")
        .mayOnlyBeAccessedByLayers("standalone")
        .whereLayer("core")
        .mayOnlyBeAccessedByLayers(
            "instrumentation",
            "store",
            "store-duckdb",
            "store-clickhouse",
            "collector",
            "analyzer",
            "query-api",
            "standalone")
        .check(classes);
  }

  @Test
  void noClass_dependsOnAnotherLibrarysOrModulesInternalPackage() {
    classes().should(notDependOnAForeignInternalPackage()).check(classes);
  }

  /**
   * No dependency on an {@code ..internal..} package, unless it is the class's own module's.
   * (Written as a positive rule that reports violations: under {@code noClasses()} a condition that
   * only reports violations is negated into one that can never fail.)
   */
  private static ArchCondition<JavaClass> notDependOnAForeignInternalPackage() {
    return new ArchCondition<>("not depend on another library's or module's internal package") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
          String target = d.getTargetClass().getPackageName();
          int internal = (target + ".").indexOf(".internal.");
          // io.agentledger.x.internal may be used from io.agentledger.x.., nothing else
          if (internal >= 0 && !origin.getPackageName().startsWith(target.substring(0, internal))) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }
}
