package org.pfmeter.pf.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelStringsTest {

    private static String decode(byte... b) {
        return KernelStrings.decode(b, 0, b.length);
    }

    @Test
    void validUtf8IsKeptAndOnlyBackslashesAndInvalidBytesAreEscaped() {
        assertThat(decode("cust-a".getBytes(StandardCharsets.UTF_8))).isEqualTo("cust-a");
        assertThat(decode("Kunde \"Müller\"\t=1\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("Kunde \"Müller\"\t=1\n");
        assertThat(decode("a\\b".getBytes(StandardCharsets.UTF_8))).isEqualTo("a\\\\b");
        assertThat(decode((byte) 'a', (byte) 0xff, (byte) 'b')).isEqualTo("a\\xffb");
        assertThat(decode((byte) 0xc3)).isEqualTo("\\xc3");                                   // truncated sequence
        assertThat(decode((byte) 0xc0, (byte) 0xaf)).isEqualTo("\\xc0\\xaf");                 // overlong '/'
        assertThat(decode((byte) 0xed, (byte) 0xa0, (byte) 0x80)).isEqualTo("\\xed\\xa0\\x80"); // a surrogate
        assertThat(decode((byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80)).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void theLiteralTextOfAnEscapeStaysDistinctFromTheByte() {
        String text = decode("\\xff".getBytes(StandardCharsets.UTF_8));
        String bytes = decode((byte) 0xff);
        assertThat(text).isEqualTo("\\\\xff").isNotEqualTo(bytes);
        assertThat(KernelStrings.encode(text)).isEqualTo("\\xff".getBytes(StandardCharsets.UTF_8));
        assertThat(KernelStrings.encode(bytes)).containsExactly((byte) 0xff);
    }

    @Test
    void randomNamesRoundTripAreDistinctAndValidUnicode() {
        SplittableRandom rnd = new SplittableRandom(42);
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[rnd.nextInt(64)];
            for (int k = 0; k < b.length; k++) {
                int pick = rnd.nextInt(4);
                b[k] = (byte) (pick == 0 ? '\\' : pick == 1 ? 'x' : 1 + rnd.nextInt(255));
            }
            String s = KernelStrings.decode(b, 0, b.length);
            assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(s)).as("valid Unicode: %s", s).isTrue();
            assertThat(KernelStrings.encode(s)).as("round trip of %s", s).isEqualTo(b);
            String hex = java.util.HexFormat.of().formatHex(b);
            String before = seen.put(s, hex);
            assertThat(before == null || before.equals(hex)).as("%s from %s and %s", s, before, hex).isTrue();
        }
    }

    @Test
    void cStringAndPutCStringUseTheRule() {
        ByteBuffer b = NativeBytes.allocate(16);
        NativeBytes.putCString(b, 0, 16, "a\\xfe\\\\");
        assertThat(b.get(1)).isEqualTo((byte) 0xfe);
        assertThat(b.get(2)).isEqualTo((byte) '\\');
        assertThat(b.get(3)).isZero();
        assertThat(NativeBytes.cString(b, 0, 16)).isEqualTo("a\\xfe\\\\");
    }
}
