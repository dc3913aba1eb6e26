package org.pfmeter.pf.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.TableStats;

/**
 * The decoders against corrupted copies of bytes a real OpenBSD 8.0-beta kernel wrote (the fixture of
 * {@link RealKernelFixtureTest}): flipped bytes, names filled without NUL or with bytes that are not
 * UTF-8, everything from some byte on zeroed. Each decode gives a value with valid Unicode names or a
 * {@link MalformedAnswerException}, which the reader turns into a typed error. Case count:
 * {@code -Dpfmeter.fuzz.cases} (default 2000 per buffer kind).
 */
class RealKernelFixtureFuzzTest {

    private static final int CASES = Integer.getInteger("pfmeter.fuzz.cases", 2000);
    private static final long SEED = Long.getLong("pfmeter.fuzz.seed", 20261201L);
    private static final PfAbi ABI = AbiRelease.V8_0.abi();

    private static JsonNode calls() throws IOException {
        try (InputStream in = RealKernelFixtureFuzzTest.class.getResourceAsStream("/fixtures/openbsd-8.0-beta/real-kernel-8.0beta.json")) {
            assertThat(in).isNotNull();
            return new ObjectMapper().readTree(in).get("calls");
        }
    }

    private static JsonNode call(JsonNode calls, int seq) {
        for (JsonNode c : calls) {
            if (c.get("seq").asInt() == seq) {
                return c;
            }
        }
        throw new AssertionError("no call " + seq);
    }

    private static byte[] hex(JsonNode node) {
        return HexFormat.of().parseHex(node.isObject() ? node.get("hex").asText() : node.asText());
    }

    @Test
    void corruptedRealKernelBuffersDecodeOrAreMalformed() throws IOException {
        JsonNode calls = calls();
        List<byte[]> kifs = new ArrayList<>();
        for (JsonNode k : call(calls, 103).get("kifs")) {
            kifs.add(hex(k.get("hex")));
        }
        byte[] tstats = hex(call(calls, 105).get("tstats").get(0).get("hex"));
        byte[] status = hex(call(calls, 80).get("output_hex").get("out"));
        List<byte[]> rules = new ArrayList<>();
        PfiocRule codec = ABI.rule();
        for (int seq : new int[] {82, 83, 84, 85, 92}) {
            ByteBuffer b = NativeBytes.allocate(codec.size());
            b.put(codec.ruleOffset(), hex(call(calls, seq).get("output_hex").get("rule")));
            rules.add(b.array());
        }
        int kifName = ABI.struct("pfi_kif").offset("pfik_name");
        int tableName = ABI.struct("pfr_tstats").offset("pfrts_t", "pfrt_name");
        int label = ABI.struct("pfioc_rule").offset("rule", "label");
        int ifname = ABI.struct("pf_status").offset("ifname");
        int[] counts = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            fuzz("pfi_kif", kifs, kifName, PfConstants.IFNAMSIZ, b -> List.of(((InterfaceCounters) ABI.kif().decode(b, 0)).name()), counts);
            fuzz("pfr_tstats", List.of(tstats), tableName, PfConstants.PF_TABLE_NAME_SIZE, b -> {
                TableStats t = ABI.tstats().decode(b, 0);
                return List.of(t.anchor(), t.name());
            }, counts);
            fuzz("pfioc_rule", rules, label, PfConstants.PF_RULE_LABEL_SIZE, b -> {
                RuleCounters r = codec.decode(b, "");
                return List.of(r.label(), r.anchorCall());
            }, counts);
            fuzz("pf_status", List.of(status), ifname, PfConstants.IFNAMSIZ,
                    b -> List.of(ABI.status().decode(b, 0, 0).logInterface().ifname()), counts);
        });
        assertThat(counts[0]).as("values").isGreaterThan(CASES);
        assertThat(counts[1]).as("malformed").isGreaterThan(CASES / 10);
    }

    private static void fuzz(String what, List<byte[]> originals, int nameAt, int nameSize, Function<ByteBuffer, List<String>> decode,
            int[] counts) {
        for (int i = 0; i < CASES; i++) {
            long seed = SEED + what.hashCode() * 31L + i;
            SplittableRandom rnd = new SplittableRandom(seed);
            byte[] b = originals.get(rnd.nextInt(originals.size())).clone();
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    for (int k = 1 + rnd.nextInt(16); k > 0; k--) {
                        b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                    }
                }
                case 1 -> {
                    for (int k = 0; k < nameSize; k++) {
                        b[nameAt + k] = (byte) (1 + rnd.nextInt(255));      // no NUL
                    }
                }
                case 2 -> {
                    int len = rnd.nextInt(nameSize);
                    for (int k = 0; k < len; k++) {
                        b[nameAt + k] = (byte) (0x80 + rnd.nextInt(128));   // rarely valid UTF-8
                    }
                    b[nameAt + len] = 0;
                }
                default -> java.util.Arrays.fill(b, rnd.nextInt(b.length), b.length, (byte) 0);
            }
            try {
                for (String name : decode.apply(NativeBytes.wrap(b))) {
                    assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(name)).as("%s seed %d: %s", what, seed, name).isTrue();
                    byte[] raw = KernelStrings.encode(name);
                    assertThat(KernelStrings.decode(raw, 0, raw.length)).as("%s seed %d: reversible", what, seed).isEqualTo(name);
                }
                counts[0]++;
            } catch (MalformedAnswerException e) {
                counts[1]++;
            } catch (RuntimeException e) {
                throw new AssertionError(what + " seed " + seed + ": " + e, e);
            }
        }
    }
}
