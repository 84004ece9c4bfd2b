package io.mxwatch.dns;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import java.util.Optional;

/**
 * The IDNA 2008 derived property of RFC 5892 §2-§3 for code points that UTS #46 processing lets
 * through. UTS #46 keeps some characters valid that IDNA 2008 disallows (its "NV8" set: emoji and
 * other symbols), so a name must pass this check too before it is used in a query.
 */
final class Idna2008 {
  private Idna2008() {}

  /** The first code point of {@code label} that IDNA 2008 disallows, described, or empty. */
  static Optional<String> disallowed(String label) {
    int index = 0;
    while (index < label.length()) {
      int codePoint = label.codePointAt(index);
      if (!permitted(codePoint)) {
        return Optional.of(
            String.format("U+%04X %s", codePoint, UCharacter.getName(codePoint)).strip());
      }
      index += Character.charCount(codePoint);
    }
    return Optional.empty();
  }

  private static boolean permitted(int codePoint) {
    if (codePoint < 0x80) {
      // LDH rules for ASCII are applied by UTS #46 with STD3 rules.
      return true;
    }
    // RFC 5892 §2.6 exceptions come first.
    switch (codePoint) {
      case 0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007 -> {
        return true;
      }
      // CONTEXTO: ICU checks their contextual rules (CHECK_CONTEXTO).
      case 0x00B7, 0x0375, 0x05F3, 0x05F4, 0x30FB -> {
        return true;
      }
      case 0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B -> {
        return false;
      }
      // CONTEXTJ: ZERO WIDTH NON-JOINER and JOINER, checked by ICU (CHECK_CONTEXTJ).
      case 0x200C, 0x200D -> {
        return true;
      }
      default -> {}
    }
    if ((codePoint >= 0x0660 && codePoint <= 0x0669)
        || (codePoint >= 0x06F0 && codePoint <= 0x06F9)) {
      return true;
    }
    // §2.3 Unassigned, §2.4 IgnorableProperties, §2.9 OldHangulJamo.
    int type = UCharacter.getType(codePoint);
    if (type == UCharacter.UNASSIGNED
        || UCharacter.hasBinaryProperty(codePoint, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
        || UCharacter.hasBinaryProperty(codePoint, UProperty.WHITE_SPACE)
        || UCharacter.hasBinaryProperty(codePoint, UProperty.NONCHARACTER_CODE_POINT)) {
      return false;
    }
    int jamo = UCharacter.getIntPropertyValue(codePoint, UProperty.HANGUL_SYLLABLE_TYPE);
    if (jamo == UCharacter.HangulSyllableType.LEADING_JAMO
        || jamo == UCharacter.HangulSyllableType.VOWEL_JAMO
        || jamo == UCharacter.HangulSyllableType.TRAILING_JAMO) {
      return false;
    }
    // §2.5 IgnorableBlocks.
    UCharacter.UnicodeBlock block = UCharacter.UnicodeBlock.of(codePoint);
    if (block == UCharacter.UnicodeBlock.COMBINING_MARKS_FOR_SYMBOLS
        || block == UCharacter.UnicodeBlock.MUSICAL_SYMBOLS
        || block == UCharacter.UnicodeBlock.ANCIENT_GREEK_MUSICAL_NOTATION) {
      return false;
    }
    // §2.1 LetterDigits: only letters, marks and decimal digits are PVALID.
    return switch (type) {
      case UCharacter.LOWERCASE_LETTER,
          UCharacter.UPPERCASE_LETTER,
          UCharacter.OTHER_LETTER,
          UCharacter.DECIMAL_DIGIT_NUMBER,
          UCharacter.MODIFIER_LETTER,
          UCharacter.NON_SPACING_MARK,
          UCharacter.COMBINING_SPACING_MARK ->
          true;
      default -> false;
    };
  }
}
