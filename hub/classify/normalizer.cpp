#include "normalizer.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include "utf8.h"

namespace suqiu::classify {
namespace {

// The transliterator is created once (it costs milliseconds) and cloned per
// thread, because a Transliterator instance is not safe to share.
const icu::Transliterator& traditional_to_simplified_prototype() {
  static const std::unique_ptr<icu::Transliterator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        "Traditional-Simplified", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !t)
      throw std::runtime_error(std::string("ICU transliterator Traditional-Simplified: ") +
                               u_errorName(status));
    return t;
  }();
  return *prototype;
}

// Characters the transliterator changes on their own. The transliterator's
// own source set is no use as a filter: it also lists the simplified
// characters its phrase rules look at (市, 在, 大).
const icu::UnicodeSet& traditional_characters() {
  static const icu::UnicodeSet set = [] {
    icu::UnicodeSet source, changing;
    const auto& t = traditional_to_simplified_prototype();
    t.getSourceSet(source);
    for (int32_t r = 0; r < source.getRangeCount(); ++r)
      for (UChar32 c = source.getRangeStart(r); c <= source.getRangeEnd(r); ++c) {
        icu::UnicodeString one(c);
        t.transliterate(one);
        if (one != icu::UnicodeString(c)) changing.add(c);
      }
    changing.freeze();
    return changing;
  }();
  return set;
}

// The transliterator walks its rules at every position of the string, which
// made it the second most expensive step on traditional texts. Most of its
// ~4,000 rules map one character to one character; of the phrase rules only
// ~170 (甚麼 > 什么, 乾隆 > 乾隆) give something else than mapping each of
// their characters alone. So: a table of the one-to-one mappings, and those
// phrases; a text that needs Simplified and contains none of the phrases is
// mapped through the table, any other through the transliterator. Rules have
// no context, so both give the same text (normalizer_test checks it on the
// whole corpus).
struct TraditionalTable {
  static constexpr std::uint8_t kChanges = 1;     // mapped to something else
  static constexpr std::uint8_t kNotOneToOne = 2; // not a single BMP character: always the transliterator
  static constexpr std::uint8_t kPhraseStart = 4; // first character of a phrase that differs
  std::vector<char16_t> simplified = std::vector<char16_t>(0x10000, 0);  // 0: unchanged
  std::vector<std::uint8_t> kind = std::vector<std::uint8_t>(0x10000, 0);
  std::vector<std::u16string> phrases;  // sorted
  bool rules_understood = true;         // false: every text that changes goes to the transliterator

  // Whether one of `phrases` starts at u[i].
  bool phrase_at(const char16_t* u, std::size_t len, std::size_t i) const {
    auto it = std::lower_bound(phrases.begin(), phrases.end(), std::u16string(1, u[i]));
    for (; it != phrases.end() && (*it)[0] == u[i]; ++it)
      if (it->size() <= len - i && std::equal(it->begin(), it->end(), u + i)) return true;
    return false;
  }
};

const TraditionalTable& traditional_table() {
  static const TraditionalTable table = [] {
    TraditionalTable t;
    const auto& tr = traditional_to_simplified_prototype();
    const auto& changing = traditional_characters();
    for (int32_t r = 0; r < changing.getRangeCount(); ++r)
      for (UChar32 c = changing.getRangeStart(r); c <= changing.getRangeEnd(r) && c < 0x10000; ++c) {
        icu::UnicodeString one(c);
        tr.transliterate(one);
        t.kind[static_cast<std::size_t>(c)] |= TraditionalTable::kChanges;
        if (one.length() == 1 && !U16_IS_SURROGATE(one.charAt(0)))
          t.simplified[static_cast<std::size_t>(c)] = one.charAt(0);
        else
          t.kind[static_cast<std::size_t>(c)] |= TraditionalTable::kNotOneToOne;
      }
    // Rules come out as "甚麼 > 什么;" lines; anything of another shape and
    // the table is not used at all (safe, only slower).
    icu::UnicodeString rules;
    tr.toRules(rules, false);
    auto per_character = [&](const icu::UnicodeString& s) {
      icu::UnicodeString out;
      for (int32_t i = 0; i < s.length(); ++i) {
        char16_t c = s.charAt(i);
        out.append(t.simplified[c] ? t.simplified[c] : c);
      }
      return out;
    };
    for (int32_t begin = 0; begin < rules.length();) {
      int32_t end = rules.indexOf(u'\n', begin);
      if (end < 0) end = rules.length();
      icu::UnicodeString line = rules.tempSubStringBetween(begin, end);
      begin = end + 1;
      if (line.isEmpty()) continue;
      int32_t arrow = line.indexOf(u" > ");
      if (arrow <= 0 || !line.endsWith(u";") || line.indexOf(u' ') != arrow ||
          line.indexOf(u' ', arrow + 1) != arrow + 2) {
        t.rules_understood = false;
        continue;
      }
      icu::UnicodeString lhs = line.tempSubStringBetween(0, arrow);
      if (lhs.countChar32() < 2) continue;
      if (per_character(lhs) == line.tempSubStringBetween(arrow + 3, line.length() - 1)) continue;
      t.phrases.emplace_back(lhs.getBuffer(), static_cast<std::size_t>(lhs.length()));
      t.kind[lhs.charAt(0)] |= TraditionalTable::kPhraseStart;
    }
    std::sort(t.phrases.begin(), t.phrases.end());
    return t;
  }();
  return table;
}

icu::Transliterator& thread_transliterator() {
  thread_local std::unique_ptr<icu::Transliterator> t(
      traditional_to_simplified_prototype().clone());
  return *t;
}

const icu::Normalizer2& nfkc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU NFKC unavailable");
  return *n;
}

// CJK punctuation that NFKC leaves alone, folded to one ASCII spelling.
std::u16string_view fold_punct(char16_t c) {
  switch (c) {
    case u'。': case u'｡': return u".";
    case u'、': return u",";
    case u'“': case u'”': case u'「': case u'」': case u'『': case u'』': return u"\"";
    case u'‘': case u'’': return u"'";
    case u'《': case u'〈': case u'【': case u'〔': case u'〖': return u"(";
    case u'》': case u'〉': case u'】': case u'〕': case u'〗': return u")";
    case u'…': return u"...";
    case u'—': case u'–': case u'―': return u"-";
    case u'・': case u'•': case u'‧': case u'･': case u'∙': return u"·";
    default: return {};
  }
}

// u_ispunct() of each ASCII character, asked once rather than per character.
const std::array<bool, 128>& ascii_punct() {
  static const std::array<bool, 128> table = [] {
    std::array<bool, 128> t{};
    for (UChar32 c = 0; c < 128; ++c) t[static_cast<std::size_t>(c)] = u_ispunct(c);
    return t;
  }();
  return table;
}

}  // namespace

std::string normalise(std::string_view text) {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  UErrorCode status = U_ZERO_ERROR;
  const auto& n = nfkc();
  if (!n.isNormalized(s, status)) {
    status = U_ZERO_ERROR;
    s = n.normalize(s, status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU NFKC failed");
  }
  // Which way to Simplified, if any (see TraditionalTable).
  const TraditionalTable& table = traditional_table();
  bool changes = false, table_is_enough = table.rules_understood;
  {
    const char16_t* u = s.getBuffer();
    const std::size_t len = static_cast<std::size_t>(s.length());
    for (std::size_t i = 0; i < len; ++i) {
      const char16_t c = u[i];
      if (U16_IS_LEAD(c) && i + 1 < len && U16_IS_TRAIL(u[i + 1])) {
        if (traditional_characters().contains(U16_GET_SUPPLEMENTARY(c, u[i + 1])))
          changes = true, table_is_enough = false;
        ++i;
        continue;
      }
      const std::uint8_t k = table.kind[c];
      if (!k) continue;
      changes = changes || (k & TraditionalTable::kChanges);
      if ((k & TraditionalTable::kNotOneToOne) ||
          ((k & TraditionalTable::kPhraseStart) && table.phrase_at(u, len, i)))
        table_is_enough = false;
    }
  }
  const bool by_table = changes && table_is_enough;
  if (changes && !table_is_enough) thread_transliterator().transliterate(s);

  // Fold whitespace, punctuation and letter case in one pass, writing UTF-8.
  std::string result;
  result.reserve(text.size() + 8);
  bool pending_space = false;
  char32_t last_punct = 0;
  const char16_t* u = s.getBuffer();
  const int32_t len = s.length();
  for (int32_t i = 0; i < len;) {
    UChar32 cp;
    U16_NEXT(u, i, len, cp);
    // Han characters, most of the text, are neither space nor control: skip the property lookups.
    if (cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r' ||
        (cp >= 0x80 && !utf8::is_han(static_cast<char32_t>(cp)) && (u_isUWhiteSpace(cp) || u_iscntrl(cp))) ||
        cp < 0x20 || cp == 0x7F) {
      pending_space = !result.empty();
      continue;
    }
    if (pending_space) {
      result.push_back(' ');
      pending_space = false;
    }
    if (cp >= 'a' && cp <= 'z') cp -= 'a' - 'A';
    if (by_table && cp < 0x10000 && table.simplified[static_cast<std::size_t>(cp)])
      cp = table.simplified[static_cast<std::size_t>(cp)];
    std::u16string_view folded = (cp >= 0x2000 && cp < 0x10000)
                                     ? fold_punct(static_cast<char16_t>(cp))
                                     : std::u16string_view{};
    if (!folded.empty()) {
      // "……" becomes "...", not "......"; "!!!" becomes "!".
      if (folded.size() == 1 && folded[0] == last_punct) continue;
      if (folded == u"..." && last_punct == u'.') continue;
      for (char16_t f : folded) utf8::append(result, f);
      last_punct = folded.back();
      continue;
    }
    if (cp == '.' && result.ends_with("...")) continue;  // NFKC made "……" six dots
    if (cp < 0x80 && ascii_punct()[static_cast<std::size_t>(cp)] && cp != '-' && cp != '.') {
      if (static_cast<char32_t>(cp) == last_punct) continue;
      last_punct = static_cast<char32_t>(cp);
    } else {
      last_punct = 0;
    }
    utf8::append(result, static_cast<char32_t>(cp));
  }
  return result;
}

namespace {

constexpr std::u32string_view kProvinces =
    U"京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领";
constexpr std::u32string_view kPlateSuffixes = U"学警挂领港澳试超";

bool is_plate_separator(char32_t cp) {
  return cp == U'·' || cp == U' ' || cp == U'-' || cp == U'.' || cp == U'•' || cp == U'_';
}
char32_t upper(char32_t cp) { return (cp >= 'a' && cp <= 'z') ? cp - ('a' - 'A') : cp; }

struct Cp {
  char32_t cp;
  std::size_t byte;
};

// Into a per-thread buffer: find_entities runs on every classification.
const std::vector<Cp>& decode(std::string_view s) {
  thread_local std::vector<Cp> cps;
  cps.clear();
  for (std::size_t pos = 0; pos < s.size();) {
    std::size_t at = pos;
    cps.push_back({utf8::next(s, pos), at});
  }
  cps.push_back({0, s.size()});  // sentinel
  return cps;
}

bool alnum(char32_t cp) { return utf8::is_ascii_digit(cp) || utf8::is_ascii_alpha(cp); }

// Tries a plate at cps[i]; returns the index after it or 0.
std::size_t match_plate(const std::vector<Cp>& c, std::size_t i, std::string& canon) {
  const std::size_t n = c.size() - 1;
  std::size_t j = i + 1;
  if (j >= n || !utf8::is_ascii_alpha(c[j].cp)) return 0;  // cheap test first: runs on every character
  if (kProvinces.find(c[i].cp) == std::u32string_view::npos) return 0;
  char32_t letter = upper(c[j].cp);
  ++j;
  if (j < n && is_plate_separator(c[j].cp)) ++j;
  std::size_t body_begin = j;
  while (j < n && alnum(c[j].cp)) ++j;
  std::size_t body = j - body_begin;
  if (body != 5 && body != 6) return 0;
  int digits = 0;
  for (std::size_t k = body_begin; k < j; ++k) digits += utf8::is_ascii_digit(c[k].cp);
  if (digits < 2) return 0;  // "粤G HELLO" is not a plate
  canon.clear();
  utf8::append(canon, c[i].cp);
  utf8::append(canon, letter);
  canon += "·";
  for (std::size_t k = body_begin; k < j; ++k) utf8::append(canon, upper(c[k].cp));
  if (j < n && kPlateSuffixes.find(c[j].cp) != std::u32string_view::npos) {
    utf8::append(canon, c[j].cp);
    ++j;
  }
  return j;
}

}  // namespace

std::vector<Entity> find_entities(std::string_view normalised) {
  std::vector<Entity> found;
  const auto& c = decode(normalised);
  const std::size_t n = c.size() - 1;
  std::string canon;
  for (std::size_t i = 0; i < n;) {
    if (std::size_t end = match_plate(c, i, canon)) {
      found.push_back({Entity::plate, canon, c[i].byte, c[end].byte});
      i = end;
      continue;
    }
    // Route prefixes: a letter (K3路) or 夜班 (夜班2路).
    std::size_t start = i, j = i;
    std::string prefix;
    if (c[j].cp == U'夜' && j + 2 < n && c[j + 1].cp == U'班' && utf8::is_ascii_digit(c[j + 2].cp)) {
      prefix = "夜班";
      j += 2;
    } else if (utf8::is_ascii_alpha(c[j].cp) && j + 1 < n && utf8::is_ascii_digit(c[j + 1].cp) &&
               (j == 0 || !alnum(c[j - 1].cp))) {
      utf8::append(prefix, upper(c[j].cp));
      j += 1;
    }
    if (utf8::is_ascii_digit(c[j].cp) && (j == 0 || !utf8::is_ascii_digit(c[j - 1].cp))) {
      std::size_t d = j;
      while (d < n && utf8::is_ascii_digit(c[d].cp)) ++d;
      std::size_t ndigits = d - j;
      std::string digits(normalised.substr(c[j].byte, c[d].byte - c[j].byte));
      // Routes: 1-3 digits then 路 (not 路口, "the junction") or 号线/线.
      if (ndigits <= 3 && d < n && c[d].cp == U'路' && c[d + 1].cp != U'口') {
        found.push_back({Entity::route, prefix + digits + "路", c[start].byte, c[d + 1].byte});
        i = d + 1;
        continue;
      }
      if (ndigits <= 2 && d + 1 < n && c[d].cp == U'号' && c[d + 1].cp == U'线') {
        found.push_back({Entity::route, prefix + digits + "号线", c[start].byte, c[d + 2].byte});
        i = d + 2;
        continue;
      }
      if (prefix.empty() && !(j > 0 && utf8::is_ascii_alpha(c[j - 1].cp))) {
        // Phones: 11-digit mobiles (optionally +86), landlines 0xxx-xxxxxxx.
        if (ndigits == 11 && digits[0] == '1' && digits[1] >= '3') {
          found.push_back({Entity::phone, digits, c[j].byte, c[d].byte});
          i = d;
          continue;
        }
        if (digits[0] == '0' && (ndigits == 3 || ndigits == 4) && d + 1 < n && c[d].cp == U'-' &&
            utf8::is_ascii_digit(c[d + 1].cp)) {
          std::size_t e = d + 1;
          while (e < n && utf8::is_ascii_digit(c[e].cp)) ++e;
          if (e - (d + 1) == 7 || e - (d + 1) == 8) {
            found.push_back({Entity::phone, std::string(normalised.substr(c[j].byte, c[e].byte - c[j].byte)),
                             c[j].byte, c[e].byte});
            i = e;
            continue;
          }
        }
        if (digits[0] == '0' && (ndigits == 10 || ndigits == 11 || ndigits == 12)) {
          std::size_t area = (digits[1] == '1' || digits[1] == '2') ? 3 : 4;
          found.push_back({Entity::phone, digits.substr(0, area) + "-" + digits.substr(area),
                           c[j].byte, c[d].byte});
          i = d;
          continue;
        }
      }
      i = d;
      continue;
    }
    ++i;
  }
  return found;
}

std::string mask_phones(std::string_view text) {
  // Collect runs of digits (ASCII or full-width) that may be separated by one
  // space or hyphen, then mask those that are phone numbers.
  const auto& c = decode(text);
  const std::size_t n = c.size() - 1;
  auto digit_value = [](char32_t cp) -> int {
    if (cp >= '0' && cp <= '9') return static_cast<int>(cp - '0');
    if (cp >= U'０' && cp <= U'９') return static_cast<int>(cp - U'０');
    return -1;
  };
  auto is_sep = [](char32_t cp) { return cp == ' ' || cp == '-' || cp == U'　' || cp == U'－'; };
  std::string out;
  out.reserve(text.size());
  std::size_t copied = 0;  // bytes of `text` already in `out`
  for (std::size_t i = 0; i < n;) {
    if (digit_value(c[i].cp) < 0 || (i > 0 && (digit_value(c[i - 1].cp) >= 0 ||
                                               utf8::is_ascii_alpha(c[i - 1].cp)))) {
      ++i;
      continue;
    }
    std::vector<std::size_t> digit_idx;
    std::size_t j = i;
    while (j < n) {
      if (digit_value(c[j].cp) >= 0) {
        digit_idx.push_back(j++);
      } else if (is_sep(c[j].cp) && j + 1 < n && digit_value(c[j + 1].cp) >= 0 &&
                 digit_idx.size() < 12) {
        ++j;
      } else {
        break;
      }
    }
    std::string digits;
    for (auto k : digit_idx) digits.push_back(static_cast<char>('0' + digit_value(c[k].cp)));
    // Drop a leading country code +86 / 86 before judging.
    std::size_t skip = 0;
    if (digits.size() == 13 && digits.starts_with("86")) skip = 2;
    std::string_view d = std::string_view(digits).substr(skip);
    std::size_t mask_from = 0, mask_to = 0;  // indexes into digit_idx
    if (d.size() == 11 && d[0] == '1' && d[1] >= '3') {
      mask_from = skip + 3;
      mask_to = skip + 7;
    } else if (d.size() >= 10 && d.size() <= 12 && d[0] == '0') {
      std::size_t area = (d[1] == '1' || d[1] == '2') ? 3 : 4;
      mask_from = skip + area;
      mask_to = digits.size() - 4;
    }
    if (mask_to > mask_from) {
      out.append(text.substr(copied, c[i].byte - copied));
      for (std::size_t k = i; k < j; ++k) {
        bool masked = false;
        for (std::size_t m = mask_from; m < mask_to; ++m)
          if (digit_idx[m] == k) masked = true;
        if (masked) out.push_back('*');
        else out.append(text.substr(c[k].byte, c[k + 1].byte - c[k].byte));
      }
      copied = c[j].byte;
    }
    i = j;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace suqiu::classify
