package io.camflow.delivery;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * delivery's packages as docs/architecture.md draws them: no cycles between them, and the layers of
 * the one path a request takes (the HTTP server, its router and reply writer in {@code http}; the
 * contract every door answers through in {@code door}; the doors; the hub; the protocols' readers).
 */
class PackageLayersTest {

  private static final String ROOT = "io.camflow.delivery";
  private static JavaClasses classes;

  @BeforeAll
  static void importMain() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  @Test
  void noCyclesBetweenPackages() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theServerDoesNotKnowItsDoors() {
    // http/ is the pipeline, the router and the reply writer: doors register with it
    // (DeliveryService wires them)
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".http..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".play..",
            ROOT + ".hls..",
            ROOT + ".mse..",
            ROOT + ".whep..",
            ROOT + ".hub..",
            ROOT + ".api..",
            ROOT + ".web..",
            ROOT + ".realm..",
            ROOT + ".sessions..")
        .check(classes);
  }

  @Test
  void doorsDoNotReachIntoTheServer() {
    // a door answers a Request with a Reply (door/); how that goes over Netty is http/'s business
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".http..")
        .and()
        .resideOutsideOfPackage(ROOT)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + ".http..")
        .check(classes);
  }

  @Test
  void theRequestContractIsTheBottomLayer() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".door..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".http..",
            ROOT + ".play..",
            ROOT + ".hls..",
            ROOT + ".mse..",
            ROOT + ".whep..",
            ROOT + ".hub..",
            ROOT + ".api..",
            ROOT + ".web..",
            ROOT + ".realm..",
            ROOT + ".sessions..",
            ROOT + ".live..")
        .check(classes);
  }

  @Test
  void theHubDoesNotKnowTheDoors() {
    // the hub feeds the protocols' readers; the doors (play/) open hubs, never the other way round
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".hub..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".play..", ROOT + ".http..", ROOT + ".api..", ROOT + ".web..", ROOT + ".realm..")
        .check(classes);
  }

  @Test
  void nothingImportsTheWiring() {
    // DeliveryService and DeliveryMain wire everything; no package reaches back up to them
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT)
        .check(classes);
  }
}
