package dev.papertape.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeysTest {
  static final String KEY = "pt_" + "aB3".repeat(13) + "z";

  @Test
  void onlyTheShapeOfAKeyIsWellFormed() {
    assertThat(KEY).hasSize(43);
    assertThat(ApiKeys.wellFormed(KEY)).isTrue();
    assertThat(ApiKeys.wellFormed(null)).isFalse();
    assertThat(ApiKeys.wellFormed("")).isFalse();
    assertThat(ApiKeys.wellFormed(KEY.substring(0, 42))).isFalse();
    assertThat(ApiKeys.wellFormed(KEY + "a")).isFalse();
    assertThat(ApiKeys.wellFormed("PT_" + KEY.substring(3))).isFalse();
    assertThat(ApiKeys.wellFormed(KEY.substring(0, 42) + "-")).isFalse();
    assertThat(ApiKeys.wellFormed(KEY.substring(0, 42) + "é")).isFalse();
    assertThat(ApiKeys.wellFormed("pt_" + "a".repeat(100_000))).isFalse();
  }

  @Test
  void hashIsHexSha256OfTheUtf8Bytes() {
    // FIPS 180-2 test vector
    assertThat(ApiKeys.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(ApiKeys.hash(KEY)).matches("[0-9a-f]{64}");
  }

  @Test
  void sameHashComparesWholeStrings() {
    String h = ApiKeys.hash(KEY);
    assertThat(ApiKeys.sameHash(h, ApiKeys.hash(KEY))).isTrue();
    assertThat(ApiKeys.sameHash(h, ApiKeys.hash(KEY + "x"))).isFalse();
    assertThat(ApiKeys.sameHash(h, h.substring(0, 63))).isFalse();
  }
}
