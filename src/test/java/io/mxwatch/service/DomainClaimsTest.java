package io.mxwatch.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxwatch.dns.DomainName;
import io.mxwatch.store.DomainStore;
import io.mxwatch.testsupport.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DomainClaimsTest {
  private static final Duration LONG_LEASE = Duration.ofHours(1);

  @Inject DomainClaims claims;
  @Inject DomainStore domains;
  @Inject EntityManager entityManager;

  private final List<String> owners = new ArrayList<>();

  @AfterEach
  void releaseLeases() {
    owners.forEach(claims::releaseAll);
  }

  private String owner(String name) {
    String owner = name + "-" + System.nanoTime();
    owners.add(owner);
    return owner;
  }

  private Set<String> addDueDomains(String prefix, int count) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < count; i++) {
      names.add(
          domains.add(DomainName.parse(Fixtures.uniqueName(prefix)), List.of(), List.of()).name());
    }
    return names;
  }

  private static Set<String> names(List<DomainClaims.Claim> claimed) {
    Set<String> names = new HashSet<>();
    claimed.forEach(claim -> names.add(claim.name()));
    return names;
  }

  @Test
  void claim_concurrentClaimersGetDisjointDomains() throws Exception {
    Set<String> mine = addDueDomains("race", 12);
    String first = owner("first");
    String second = owner("second");
    CountDownLatch firstClaimed = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);

    // The first claimer keeps its transaction, and so its row locks, open while the second claims.
    CompletableFuture<List<DomainClaims.Claim>> firstClaims =
        CompletableFuture.supplyAsync(
            () ->
                QuarkusTransaction.requiringNew()
                    .call(
                        () -> {
                          List<DomainClaims.Claim> claimed = claims.claim(first, 6, LONG_LEASE);
                          firstClaimed.countDown();
                          secondDone.await(30, TimeUnit.SECONDS);
                          return claimed;
                        }));
    assertThat(firstClaimed.await(30, TimeUnit.SECONDS)).isTrue();
    List<DomainClaims.Claim> secondClaims;
    try {
      secondClaims =
          QuarkusTransaction.requiringNew().call(() -> claims.claim(second, 1000, LONG_LEASE));
    } finally {
      secondDone.countDown();
    }

    Set<String> firstNames = names(firstClaims.get(30, TimeUnit.SECONDS));
    Set<String> secondNames = names(secondClaims);
    assertThat(firstNames).hasSize(6);
    assertThat(firstNames).doesNotContainAnyElementsOf(secondNames);
    Set<String> union = new HashSet<>(firstNames);
    union.addAll(secondNames);
    assertThat(union).containsAll(mine);
  }

  @Test
  void claim_leasedDomainIsNotClaimedAgain() {
    Set<String> mine = addDueDomains("leased", 3);
    Set<String> claimedFirst = names(claims.claim(owner("first"), 1000, LONG_LEASE));
    Set<String> claimedSecond = names(claims.claim(owner("second"), 1000, LONG_LEASE));

    assertThat(claimedFirst).containsAll(mine);
    assertThat(claimedSecond).doesNotContainAnyElementsOf(mine);
  }

  @Test
  void claim_takesOverExpiredLease() throws InterruptedException {
    Set<String> mine = addDueDomains("crashed", 2);
    Set<String> crashed = names(claims.claim(owner("crashed"), 1000, Duration.ofMillis(1)));
    assertThat(crashed).containsAll(mine);
    Thread.sleep(20);

    Set<String> takeover = names(claims.claim(owner("takeover"), 1000, LONG_LEASE));

    assertThat(takeover).containsAll(mine);
  }

  @Test
  void claim_skipsDomainsNotDue() {
    String idle =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("idle")).name();
    assertThat(names(claims.claim(owner("any"), 1000, LONG_LEASE))).doesNotContain(idle);
  }

  @Test
  void claim_carriesDomainSettings() {
    String name =
        domains
            .add(
                DomainName.parse(Fixtures.uniqueName("settings")),
                List.of("sel1", "sel2"),
                List.of("ab".repeat(32)))
            .name();

    DomainClaims.Claim claim =
        claims.claim(owner("settings"), 1000, LONG_LEASE).stream()
            .filter(c -> c.name().equals(name))
            .findFirst()
            .orElseThrow();

    assertThat(claim.settings().dkimSelectors()).containsExactly("sel1", "sel2");
    assertThat(claim.settings().nextKeys()).containsExactly("ab".repeat(32));
  }

  @Test
  void claim_scanNowAsksForFreshProbesOnce() {
    String idle =
        Fixtures.addIdleDomain(domains, entityManager, Fixtures.uniqueName("fresh")).name();
    String scheduled = addDueDomains("scheduled", 1).iterator().next();
    assertThat(domains.markDue(idle)).isTrue();

    String firstOwner = owner("fresh");
    List<DomainClaims.Claim> first = claims.claim(firstOwner, 1000, LONG_LEASE);

    assertThat(claimOf(first, idle).settings().freshProbes()).isTrue();
    assertThat(claimOf(first, scheduled).settings().freshProbes()).isFalse();

    // A claim clears the request, so the domain's next claim reuses the scan window again.
    claims.releaseAll(firstOwner);
    List<DomainClaims.Claim> second = claims.claim(owner("again"), 1000, LONG_LEASE);
    assertThat(claimOf(second, idle).settings().freshProbes()).isFalse();
  }

  private static DomainClaims.Claim claimOf(List<DomainClaims.Claim> claimed, String name) {
    return claimed.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void releaseAll_makesDomainsClaimableAtOnce() {
    Set<String> mine = addDueDomains("released", 2);
    String crashed = owner("stopping");
    assertThat(names(claims.claim(crashed, 1000, LONG_LEASE))).containsAll(mine);

    assertThat(claims.releaseAll(crashed)).isGreaterThanOrEqualTo(2);

    assertThat(names(claims.claim(owner("next"), 1000, LONG_LEASE))).containsAll(mine);
  }
}
