#include "segmenter.h"

#include <memory>
#include <stdexcept>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include "normalizer.h"
#include "utf8.h"

namespace suqiu::classify {
namespace {

// A BreakIterator is expensive to create and not thread-safe: one prototype,
// one clone per thread.
icu::BreakIterator& thread_word_breaker() {
  static const std::unique_ptr<icu::BreakIterator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> b(
        icu::BreakIterator::createWordInstance(icu::Locale::getChinese(), status));
    if (U_FAILURE(status) || !b)
      throw std::runtime_error(std::string("ICU word break iterator: ") + u_errorName(status));
    return b;
  }();
  thread_local std::unique_ptr<icu::BreakIterator> mine(prototype->clone());
  return *mine;
}

struct Span {
  std::size_t begin, end;  // bytes
};

bool is_word_char(char32_t cp) {
  return utf8::is_han(cp) || utf8::is_ascii_digit(cp) || utf8::is_ascii_alpha(cp) ||
         (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xC0 && cp < 0x2000 && cp != 0xB7 && cp != 0xD7);
}

}  // namespace

const std::vector<std::string>& Segmenter::transport_terms() {
  static const std::vector<std::string> kTerms = {
      // vehicles and services
      "网约车", "出租车", "的士", "公交车", "公交", "泥头车", "拉土车", "渣土车", "大货车", "货车",
      "半挂车", "槽罐车", "危化品", "危险品", "危货", "教练车", "黑车", "摩的", "三轮车", "面包车",
      "客车", "大巴", "班车", "长途车", "顺风车", "渡船", "轮渡", "客船", "网约车平台", "私家车",
      "新能源车", "校车", "营运车辆", "冷链",
      // places
      "客运站", "汽车站", "汽车总站", "候车室", "治超站", "治超点", "检测站", "渡口", "码头",
      "候客点", "公交站", "公交站台", "站台", "物流园", "修理厂", "维修厂", "汽修厂", "4S店", "驾校",
      "收费站", "服务区",
      // matters
      "治超", "超限", "超载", "超员", "驾培", "拒载", "绕路", "绕远路", "甩客", "甩站", "拼客",
      "议价", "打表", "计价器", "车牌", "车牌号", "运输证", "营运证", "道路运输证", "从业资格证",
      "驾驶员证", "网约车驾驶员证", "非法营运", "揽客", "拉客", "学时", "计时培训", "科目二",
      "科目三", "路政", "路面", "护栏", "塌方", "坑洼", "撒漏", "老年卡", "学生卡", "末班车",
      "首班车", "发车间隔", "运价", "起步价", "取消费", "一口价", "执法人员", "执法大队", "吃拿卡要",
      "拾金不昧", "船票", "车票", "退票", "改签", "行李", "失物", "遗失", "国道", "省道", "县道",
      "乡道", "村道", "营运", "份子钱", "套牌", "危险货物", "超限运输", "12328", "12345",
  };
  return kTerms;
}

void Segmenter::FlatTable::build(const std::unordered_map<std::uint64_t, std::uint32_t>& entries) {
  std::size_t size = 16;
  int bits = 4;
  while (size < entries.size() * 2) size <<= 1, ++bits;  // at most half full: short probes
  keys_.assign(size, 0);
  values_.assign(size, 0);
  shift_ = 64 - bits;
  for (const auto& [key, value] : entries) {
    std::size_t i = slot(key);
    while (values_[i]) i = (i + 1) & (size - 1);
    keys_[i] = key;
    values_[i] = value;
  }
}

Segmenter::Segmenter(const std::vector<std::string>& extra_terms) {
  std::unordered_map<std::uint64_t, std::uint32_t> terms, first_chars;
  auto add = [&](const std::string& raw) {
    std::string term = normalise(raw);
    if (term.empty()) return;
    std::size_t pos = 0, chars = 0;
    char32_t first = utf8::next(term, pos);
    for (pos = 0; pos < term.size(); ++chars) utf8::next(term, pos);
    if (chars < 2) return;  // a single character is not worth protecting
    if (chars > 31) return;  // lengths are kept in a 32-bit mask
    first_chars[first] |= 1u << chars;
    max_term_chars_ = std::max(max_term_chars_, chars);
    terms[utf8::hash64(term)] = 1;
  };
  for (const auto& t : transport_terms()) add(t);
  for (const auto& t : extra_terms) add(t);
  terms_.build(terms);
  first_chars_.build(first_chars);
}

std::vector<std::string> Segmenter::words(std::string_view text) const {
  std::vector<std::string> out;
  for (const auto& [b, e] : word_spans(text)) out.emplace_back(text.substr(b, e - b));
  return out;
}

// Per-thread working memory of segment(): a classification makes no heap
// allocation here once the buffers have grown to the longest text seen.
struct Segmenter::Scratch {
  std::vector<std::size_t> cp_bytes;  // byte offset of each code point, and the text's size
  std::vector<std::int32_t> cp_u16;   // UTF-16 offset of each code point, and the total
  std::vector<char32_t> cps;
  std::u16string u16;                 // the text as ICU wants it
  std::vector<char> boundary;
  std::vector<Span> protected_spans;  // in code point indexes
};

std::vector<std::pair<std::size_t, std::size_t>> Segmenter::word_spans(std::string_view text) const {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  word_spans_into(text, out);
  return out;
}

void Segmenter::word_spans_into(std::string_view text,
                                std::vector<std::pair<std::size_t, std::size_t>>& out) const {
  segment(text, out);
}

const Segmenter::Scratch& Segmenter::segment(std::string_view text,
                                             std::vector<std::pair<std::size_t, std::size_t>>& out) const {
  out.clear();
  thread_local Scratch s;
  // 1. Code points with their byte and UTF-16 offsets, and the UTF-16 copy ICU wants.
  s.cp_bytes.clear();
  s.cp_u16.clear();
  s.cps.clear();
  s.u16.clear();
  for (std::size_t pos = 0; pos < text.size();) {
    s.cp_bytes.push_back(pos);
    s.cp_u16.push_back(static_cast<std::int32_t>(s.u16.size()));
    char32_t cp = utf8::next(text, pos);
    s.cps.push_back(cp);
    if (cp >= 0x10000) {
      s.u16.push_back(static_cast<char16_t>(0xD7C0 + (cp >> 10)));
      s.u16.push_back(static_cast<char16_t>(0xDC00 | (cp & 0x3FF)));
    } else {
      s.u16.push_back(static_cast<char16_t>(cp));
    }
  }
  s.cp_bytes.push_back(text.size());
  s.cp_u16.push_back(static_cast<std::int32_t>(s.u16.size()));
  const std::size_t n = s.cps.size();
  const auto& cps = s.cps;
  const auto& cp_bytes = s.cp_bytes;
  const auto& cp_u16 = s.cp_u16;

  // 2. User dictionary: longest match, left to right.
  s.protected_spans.clear();
  for (std::size_t i = 0; i < n;) {
    std::size_t best = 0;
    if (const std::uint32_t lengths = first_chars_.find(cps[i])) {
      for (std::size_t len = std::min(max_term_chars_, n - i); len >= 2; --len) {
        if (!(lengths & (1u << len))) continue;
        std::string_view cand = text.substr(cp_bytes[i], cp_bytes[i + len] - cp_bytes[i]);
        if (terms_.find(utf8::hash64(cand))) {
          best = len;
          break;
        }
      }
    }
    if (best) {
      s.protected_spans.push_back({i, i + best});
      i += best;
    } else {
      ++i;
    }
  }

  // 3. ICU boundaries, mapped back to code point indexes.
  s.boundary.assign(n + 1, 0);
  auto& boundary = s.boundary;
  auto& bi = thread_word_breaker();
  {
    UErrorCode status = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUChars(&ut, s.u16.data(), static_cast<int64_t>(s.u16.size()), &status);
    bi.setText(&ut, status);  // the iterator keeps its own shallow copy of `ut`
    if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU word break: ") + u_errorName(status));
    std::size_t k = 0;
    for (int32_t b = bi.first(); b != icu::BreakIterator::DONE; b = bi.next()) {
      while (k <= n && cp_u16[k] < b) ++k;
      if (k <= n && cp_u16[k] == b) boundary[k] = 1;
    }
    utext_close(&ut);
  }
  // A dictionary term's edges are boundaries and nothing inside it is.
  for (const auto& sp : s.protected_spans) {
    boundary[sp.begin] = boundary[sp.end] = 1;
    for (std::size_t k = sp.begin + 1; k < sp.end; ++k) boundary[k] = 0;
  }
  boundary[0] = boundary[n] = 1;

  std::size_t start = 0;
  for (std::size_t k = 1; k <= n; ++k) {
    if (!boundary[k]) continue;
    bool wordy = false;
    for (std::size_t m = start; m < k && !wordy; ++m) wordy = is_word_char(cps[m]);
    if (wordy) out.emplace_back(cp_bytes[start], cp_bytes[k]);
    start = k;
  }
  return s;
}

// Walks the features of features() without building them: kind 'w', 'c',
// 'b' or 'e' and the feature's text.
template <class Visit>
void Segmenter::walk_features(std::string_view text, Visit&& visit) const {
  thread_local std::vector<std::pair<std::size_t, std::size_t>> spans;
  const Scratch& s = segment(text, spans);
  for (const auto& [b, e] : spans) {
    std::string_view w = text.substr(b, e - b);
    bool numeric = true;
    for (char ch : w) numeric = numeric && ch >= '0' && ch <= '9';
    visit('w', numeric ? std::string_view("#") : w);
  }
  // Han characters and pairs of adjacent ones, from the code points segment() decoded.
  const auto& cps = s.cps;
  const auto& at = s.cp_bytes;
  for (std::size_t m = 0; m < cps.size(); ++m) {
    if (!utf8::is_han(cps[m])) continue;
    visit('c', text.substr(at[m], at[m + 1] - at[m]));
    if (m > 0 && utf8::is_han(cps[m - 1])) visit('b', text.substr(at[m - 1], at[m + 1] - at[m - 1]));
  }
  for (const auto& e : find_entities(text)) {
    switch (e.kind) {
      case Entity::plate: visit('e', "plate"); break;
      case Entity::route: visit('e', "route"); break;
      case Entity::phone: visit('e', "phone"); break;
    }
  }
}

std::vector<std::string> Segmenter::features(std::string_view text) const {
  std::vector<std::string> out;
  walk_features(text, [&](char kind, std::string_view body) {
    std::string f{kind, ':'};
    f.append(body);
    out.push_back(std::move(f));
  });
  return out;
}

std::uint64_t Segmenter::feature_hash(std::string_view feature) {
  if (feature.size() < 2 || feature[1] != ':') return utf8::hash64(feature);
  return utf8::hash64(feature.substr(2), static_cast<unsigned char>(feature[0]));
}

std::vector<std::uint64_t> Segmenter::feature_hashes(std::string_view text) const {
  std::vector<std::uint64_t> out;
  feature_hashes_into(text, out);
  return out;
}

void Segmenter::feature_hashes_into(std::string_view text, std::vector<std::uint64_t>& out) const {
  out.clear();
  walk_features(text, [&](char kind, std::string_view body) {
    out.push_back(utf8::hash64(body, static_cast<unsigned char>(kind)));
  });
}

}  // namespace suqiu::classify
